"""Moving the demo's 2020 campaign forward, phase by phase, as its secretariat would."""

from __future__ import annotations

from thidua.accounts.models import User
from thidua.campaigns import services
from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import ORDER, index
from thidua.demo.organizations import Loaded

SECRETARIAT = "thuongtruc.tg"  # officer of Tiền Giang, head school of C9 in 2020
YEAR = 2020


def advance(loaded: Loaded, to: str) -> Campaign | None:
    """Move C9 2020 forward to ``to`` (no-op if it is already there or beyond)."""
    campaign = Campaign.objects.filter(cluster_year__cluster=loaded.cluster, cluster_year__year=YEAR).first()
    if campaign is None:
        return None
    actor = User.objects.filter(username=SECRETARIAT).first()
    while index(campaign.phase) < index(to):
        campaign = services.move_phase(actor=actor, campaign=campaign, to=ORDER[index(campaign.phase) + 1])
    return campaign
