"""Left navigation: (area, [(label, url name, capability needed)]). Items whose URL is not
installed yet are skipped, so a later capability area only has to add its lines here."""

NAV: list[tuple[str, list[tuple[str, str, str | None]]]] = [
    (
        "组织与人员",
        [
            ("单位树", "orgs:unit-tree", "orgs.view"),
            ("单位列表", "orgs:unit-list", "orgs.view"),
            ("党组织", "orgs:partyorg-list", "orgs.view"),
            ("人员", "people:person-list", "people.view"),
            ("挂联干部", "orgs:liaison-list", "orgs.view"),
            ("交流轮岗", "orgs:exchange-list", "orgs.view"),
            ("撤并记录", "orgs:unitevent-list", "orgs.view"),
        ],
    ),
    (
        "党务",
        [
            ("党员", "party:member-list", "party.view"),
            ("组织关系转接", "party:transfer-list", "party.view"),
            ("发展党员", "development:record-list", "development.view"),
            ("党费", "dues:overview", "dues.view"),
            ("组织生活", "orglife:meeting-list", "orglife.view"),
            ("组织生活日历", "orglife:compliance", "orglife.view"),
            ("换届提醒", "orglife:reelection-list", "orglife.view"),
            ("标准化建设", "orglife:checklist-list", "orglife.view"),
            ("示范岗·责任区·承诺", "orglife:vanguard-list", "orglife.view"),
        ],
    ),
    (
        "督查整改",
        [
            ("督查计划", "supervision:plan-list", "supervision.view"),
            ("督查记录", "supervision:inspection-list", "supervision.view"),
            ("检查清单", "supervision:checklist-list", "supervision.view"),
            ("专项整治", "supervision:campaign-list", "supervision.view"),
            ("问题与整改", "rectification:finding-list", "rectification.view"),
            ("逾期整改", "rectification:overdue-list", "rectification.view"),
            ("追责问责", "accountability:record-list", "accountability.view"),
            ("警示教育", "accountability:session-list", "accountability.session_view"),
            ("督导通报", "bulletins:bulletin-list", "bulletins.view"),
        ],
    ),
    (
        "三重一大",
        [
            ("监督看板", "decisions:dashboard", "decisions.view"),
            ("议题", "decisions:item-list", "decisions.view"),
            ("决策会议", "decisions:meeting-list", "decisions.view"),
            ("事项目录", "decisions:category-list", "decisions.view"),
            ("设置", "decisions:settings", "decisions.view"),
        ],
    ),
    (
        "统计与报表",
        [
            ("统计指标", "core:figure-list", "figures.view"),
        ],
    ),
    (
        "系统",
        [
            ("我的档案", "people:me", "people.self_view"),
            ("账号管理", "accounts:user-list", "accounts.view"),
            ("审计日志", "audit:entry-list", "audit.view"),
            ("我的任务", "core:job-list", None),
            ("个人设置", "accounts:profile", None),
            ("API 文档", "api-1.0.0:openapi-view", None),
        ],
    ),
]
