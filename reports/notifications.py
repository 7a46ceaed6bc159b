"""Emails about board packs: an issued pack goes to the plan's board (plans.notifications says who that is)."""

from __future__ import annotations

from plans.notifications import board_of, recipients, send_all

from .models import BoardPack


def board_pack_issued(pack_id: int) -> int:
    """Tell the board a pack is issued, with the link to download it; returns how many were told."""
    pack = BoardPack.objects.select_related("plan").get(pk=pack_id)
    if not pack.is_issued:
        return 0
    return send_all(
        recipients(board_of(pack.plan), choice="email_packs"),
        subject=f"Board pack issued: {pack.plan.title}, as at {pack.as_of:%-d %b %Y}",
        template="reports/email/pack_issued",
        context={"pack": pack},
    )
