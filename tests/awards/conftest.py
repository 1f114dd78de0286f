"""Award fixtures on the shared world: cluster K's 2020 campaign (A head → alice is its
secretariat; B member), the default award list, and helpers to make proposals.

alice — secretariat of K 2020; bob — officer of B (member); dave — Academy staff;
frank — officer of C (cluster L: must never see K's drafts); carol — admin.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.campaigns.conftest import DOCUMENT, publish
from thidua.awards import services
from thidua.awards.models import Proposal
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign
from thidua.titles import services as title_services
from thidua.titles.models import Award


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_password_hashing):
    """Every test here hashes with a fast hasher."""


@dataclass
class AwardsWorld:
    world: object
    campaign: Campaign
    awards: dict[str, Award]

    def propose(self, nominee=None, code: str = "co-hoc-vien", **kwargs) -> Proposal:
        return services.create_proposal(
            actor=self.world.alice,
            campaign=self.campaign,
            nominee=nominee or self.world.school_a,
            award=self.awards[code],
            **kwargs,
        )


@pytest.fixture
def aw(world) -> AwardsWorld:
    framework = publish(DOCUMENT, cluster=world.cluster, year=2020)
    campaign = campaign_services.create_campaign(actor=world.alice, cluster_year=world.year_2020, framework=framework)
    title_services.install_award_list(actor=world.dave)
    return AwardsWorld(world, campaign, {a.code: a for a in Award.objects.all()})
