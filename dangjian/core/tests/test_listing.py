def test_year_and_month_filter_choices():
    import datetime as dt

    from dangjian.core.listing import month_choices, year_choices

    assert year_choices(dt.date(2026, 1, 5), span=3) == [
        ("2026", "2026年"),
        ("2025", "2025年"),
        ("2024", "2024年"),
    ]
    assert month_choices(dt.date(2026, 1, 5), span=3) == [
        ("2026-01", "2026年1月"),
        ("2025-12", "2025年12月"),
        ("2025-11", "2025年11月"),
    ]
    assert month_choices(dt.date(2025, 12, 31), span=2, ahead=1) == [
        ("2026-01", "2026年1月"),
        ("2025-12", "2025年12月"),
    ]
