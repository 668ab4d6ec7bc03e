"""Sending the reminders with a fixed clock: who gets what, once; the audit entry; the scope of
a run; reading notices."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.notices import actions
from dangjian.notices.models import Notice
from dangjian.rectification import actions as rect_actions

from .conftest import DEADLINE, FOUND

D = dt.date
SCHOOL = {"sec_a", "clerk_a"}


def days(n: int) -> dt.date:
    return DEADLINE + dt.timedelta(days=n)


def test_three_days_before_the_school_secretary_and_clerks(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    sent = send(days(-3))
    assert inbox() == {"sec_a": {"due_soon"}, "clerk_a": {"due_soon"}}
    assert sent.by_kind == {"due_soon": 2}
    n = Notice.objects.get(recipient=people["sec_a"])
    assert n.title == "整改即将到期：青山县第一中学「支部党员大会会议记录不完整，缺少表决结果」"
    assert n.body.startswith("整改期限为2024年5月21日（还有3天）")
    assert n.unit == people["sec_a"].unit
    assert n.url == Notice.objects.get(recipient=people["clerk_a"]).url
    assert n.url.startswith("/rectification/findings/")
    assert n.read_at is None


def test_on_the_deadline_day_the_school_again(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    send(days(0))
    assert inbox() == {"sec_a": {"due_today"}, "clerk_a": {"due_today"}}
    assert "今天到期" in Notice.objects.filter(kind="due_today")[0].body


def test_day_after_the_deadline_the_secretary_s2(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    send(days(1))
    assert inbox() == {"sec_a": {"overdue"}}
    assert "已逾期1天" in Notice.objects.get().body


def test_eight_days_after_district_and_liaison_s3(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    send(days(8))
    # the liaison cadre without a role over the school and the one whose term ended: not told
    assert inbox() == {
        "sec_a": {"escalated_district"},
        "district_staff": {"escalated_district"},
        "liaison": {"escalated_district"},
    }
    assert "整改已逾期8天，已督办至学区" in Notice.objects.filter(kind="escalated_district")[0].body


def test_sixteen_days_after_bureau_and_jijian_s4(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    send(days(16))
    assert inbox() == {
        "sec_a": {"escalated_bureau"},
        "district_staff": {"escalated_bureau"},
        "liaison": {"escalated_bureau"},
        "bureau_admin": {"escalated_bureau"},
        "jijian": {"escalated_bureau"},
    }
    assert "已逾期16天，已督办至教育局和纪检" in Notice.objects.all()[0].body
    # the school is asked to rectify, the supervisors to decide on accountability
    bodies = {n.recipient.username: n.body for n in Notice.objects.select_related("recipient")}
    assert bodies["sec_a"].endswith("请立即整改到位并报送整改情况。")
    assert bodies["jijian"].endswith("请研究问责处理。")
    assert bodies["bureau_admin"].endswith("请研究问责处理。")


def test_daily_runs_from_finding_to_bureau(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    for d in range((days(20) - FOUND).days + 1):
        send(FOUND + dt.timedelta(days=d))
    assert inbox() == {
        "sec_a": {"due_soon", "due_today", "overdue", "escalated_district", "escalated_bureau"},
        "clerk_a": {"due_soon", "due_today"},
        "district_staff": {"escalated_district", "escalated_bureau"},
        "liaison": {"escalated_district", "escalated_bureau"},
        "bureau_admin": {"escalated_bureau"},
        "jijian": {"escalated_bureau"},
    }
    assert Notice.objects.count() == 5 + 2 + 2 + 2 + 1 + 1  # one of each kind, never twice


def test_reopened_twice_goes_to_the_bureau(people, make_finding, send, inbox, system):
    finding = make_finding(people["sec_a"].unit)
    rect = finding.rectification
    for on in (D(2024, 5, 8), D(2024, 5, 12)):
        rect_actions.rectification_submit(
            actor=people["sec_a"],
            rectification=rect,
            measures="已整改",
            evidence_note="存档",
            on=on,
        )
        rect_actions.rectification_reject(
            actor=people["inspector"], rectification=rect, reasons="不到位", on=on + dt.timedelta(1)
        )
    rect.refresh_from_db()
    assert rect.reopen_count == 2 and rect.deadline == D(2024, 5, 28)
    send(D(2024, 5, 13))  # 15 days before the new deadline
    assert inbox() == {
        "sec_a": {"escalated_bureau"},
        "district_staff": {"escalated_bureau"},
        "liaison": {"escalated_bureau"},
        "bureau_admin": {"escalated_bureau"},
        "jijian": {"escalated_bureau"},
    }
    assert "整改已退回重改2次，已督办至教育局和纪检" in Notice.objects.all()[0].body


def test_a_reopening_starts_the_reminders_anew(people, make_finding, send, inbox):
    finding = make_finding(people["sec_a"].unit)
    rect = finding.rectification
    send(days(-3))
    rect_actions.rectification_submit(
        actor=people["sec_a"],
        rectification=rect,
        measures="已整改",
        evidence_note="存档",
        on=days(-2),
    )
    assert send(days(-1)).total == 0  # submitted: nothing owed
    rect_actions.rectification_reject(
        actor=people["inspector"], rectification=rect, reasons="不到位", on=days(-1)
    )
    rect.refresh_from_db()
    sent = send(rect.deadline - dt.timedelta(days=3))
    assert sent.by_kind == {"due_soon": 2}
    assert Notice.objects.filter(kind="due_soon").count() == 4


def test_verified_and_submitted_rectifications_are_quiet(people, make_finding, send):
    a = people["sec_a"].unit
    done = make_finding(a).rectification
    rect_actions.rectification_submit(
        actor=people["sec_a"],
        rectification=done,
        measures="已整改",
        evidence_note="存档",
        on=D(2024, 5, 10),
    )
    waiting = make_finding(a, description="另一个问题").rectification
    rect_actions.rectification_submit(
        actor=people["sec_a"],
        rectification=waiting,
        measures="已整改",
        evidence_note="存档",
        on=D(2024, 5, 10),
    )
    rect_actions.rectification_verify(
        actor=people["inspector"], rectification=done, on=D(2024, 5, 11)
    )
    for n in (-3, 0, 1, 8, 16):
        assert send(days(n)).total == 0
    assert not Notice.objects.exists()


def test_a_clerk_owner_is_told_when_it_is_overdue(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit, owner=people["clerk_a"])
    send(days(1))
    assert inbox() == {"sec_a": {"overdue"}, "clerk_a": {"overdue"}}


def test_the_other_school_hears_nothing_of_a(people, make_finding, send, inbox):
    make_finding(people["sec_a"].unit)
    make_finding(people["sec_b"].unit, description="乙校的问题")
    send(days(1))
    assert Notice.objects.get(recipient=people["sec_b"]).title.startswith(
        "整改已逾期：城关镇中心小学"
    )
    assert "乙校" not in Notice.objects.get(recipient=people["sec_a"]).title


def test_second_run_the_same_day_sends_nothing_and_logs_nothing(people, make_finding, send):
    make_finding(people["sec_a"].unit)
    first = send(days(16))
    notices, entries = Notice.objects.count(), AuditEntry.objects.count()
    again = send(days(16))
    assert first.total == 5 and again.total == 0
    assert Notice.objects.count() == notices
    assert AuditEntry.objects.count() == entries


def test_one_audit_entry_per_run_with_counts(people, make_finding, send, system):
    make_finding(people["sec_a"].unit)
    make_finding(people["sec_a"].unit, found_on=D(2024, 5, 20), severity="minor")  # due 5-27
    before = AuditEntry.objects.count()
    send(days(3))  # 2024-05-24: first overdue 3 days, second due in 3 days
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert len(entries) == 1
    e = entries[0]
    assert e.action == "notices.reminders_send" and e.actor == system
    assert e.after == {
        "as_of": "2024-05-24",
        "notices": 3,
        "by_kind": {"due_soon": 2, "overdue": 1},
        "recipients": 2,
        "rectifications": 2,
    }


def test_a_run_for_one_subtree_leaves_the_rest(people, make_finding, send, county):
    make_finding(people["sec_a"].unit)
    make_finding(people["sec_b"].unit)
    send(days(1), unit=county["b"])
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {"sec_b"}
    assert AuditEntry.objects.filter(action="notices.reminders_send").get().unit == county["b"]


@pytest.mark.parametrize("who", ["bureau_admin", "sec_a"])
def test_only_the_system_sends_reminders(people, who):
    with pytest.raises(PermissionDenied):
        actions.reminders_send(actor=people[who], as_of=days(1))


def test_the_whole_run_is_one_transaction(people, make_finding, monkeypatch, system):
    make_finding(people["sec_a"].unit)

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        actions.reminders_send(actor=system, as_of=days(16))
    assert not Notice.objects.exists()


def test_read_own_notice_only(people, make_finding, send):
    make_finding(people["sec_a"].unit)
    send(days(0))
    mine = Notice.objects.get(recipient=people["sec_a"])
    theirs = Notice.objects.get(recipient=people["clerk_a"])
    actions.notice_read(actor=people["sec_a"], notice=mine)
    first = Notice.objects.get(pk=mine.pk).read_at
    assert first is not None
    actions.notice_read(actor=people["sec_a"], notice=mine)
    assert Notice.objects.get(pk=mine.pk).read_at == first  # the first reading stays
    with pytest.raises(Http404):
        actions.notice_read(actor=people["sec_a"], notice=theirs)
    assert Notice.objects.get(pk=theirs.pk).read_at is None


def test_read_all_marks_only_the_readers(people, make_finding, send):
    make_finding(people["sec_a"].unit)
    make_finding(people["sec_a"].unit, description="第二个问题")
    send(days(0))
    assert actions.notices_read_all(actor=people["sec_a"]) == 2
    assert actions.notices_read_all(actor=people["sec_a"]) == 0
    assert Notice.objects.filter(recipient=people["clerk_a"], read_at__isnull=True).count() == 2


def test_a_secretary_moved_away_no_longer_sees_the_old_schools_notices(
    people, make_finding, send, system
):
    from dangjian.accounts.actions import role_assign, role_revoke
    from dangjian.notices.queries import unread_count

    sec = people["sec_a"]
    make_finding(sec.unit)
    send(days(1))
    assert unread_count(sec) == 1
    role_revoke(actor=system, assignment=sec.role_assignments.get())
    b = people["sec_b"].unit
    role_assign(actor=system, user=sec, role="school_secretary", unit=b)
    sec = type(sec).objects.get(pk=sec.pk)  # a new request: roles read afresh
    assert unread_count(sec) == 0


def test_command_prints_what_was_sent(people, make_finding):
    make_finding(people["sec_a"].unit)
    out = StringIO()
    call_command("reminders", "--date", "2024-05-29", stdout=out)
    assert out.getvalue().strip() == (
        "2024-05-29：发送提醒3条（督办至学区/挂联干部3条），涉及整改1项、接收人3人"
    )
    out = StringIO()
    call_command("reminders", "--date", "2024-05-29", stdout=out)
    assert out.getvalue().strip() == "2024-05-29：没有需要发送的新提醒"


def test_task_sends_as_the_system_user(people, make_finding):
    from dangjian.notices.tasks import send_reminders

    make_finding(people["sec_a"].unit)
    result = send_reminders.enqueue("2024-05-22")
    assert result.return_value == {"as_of": "2024-05-22", "notices": 1, "by_kind": {"overdue": 1}}
    assert Notice.objects.get().recipient == people["sec_a"]
    assert AuditEntry.objects.filter(action="notices.reminders_send").get().actor.is_system
