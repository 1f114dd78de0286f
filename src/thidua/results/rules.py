"""Who sees the results of a campaign.

Before publication only the secretariat of the campaign, the Academy and the administrator see
results; after publication every member of the campaign does. Reviewer leniency is shown to the
secretariat (and the administrator) only.
"""

from __future__ import annotations

from typing import Any

from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import is_campaign_member, is_campaign_secretariat, reads_every_registration
from thidua.results.models import CampaignResults


def is_published(campaign: Campaign) -> bool:
    row = CampaignResults.objects.filter(campaign=campaign).only("published_at").first()
    return row is not None and row.published_at is not None


def can_view_results(user: Any, campaign: Campaign) -> bool:
    """Before publication: the secretariat, the Academy, the administrator; after: every member."""
    if not getattr(user, "is_authenticated", False):
        return False
    if reads_every_registration(user, campaign):
        return True
    return is_published(campaign) and bool(is_campaign_member(user, campaign))


def can_view_leniency(user: Any, campaign: Campaign) -> bool:
    return bool(is_campaign_secretariat(user, campaign))


def can_see_reviewer_names(user: Any, campaign: Campaign) -> bool:
    """Reviewer identities: the secretariat/Academy always; schools only if the campaign allows."""
    return reads_every_registration(user, campaign) or campaign.reviewers_visible_to_schools
