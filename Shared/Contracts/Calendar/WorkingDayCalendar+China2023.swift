extension WorkingDayCalendar {
    /// The official 2023 arrangement (国务院办公厅关于2023年部分节假日安排的通知, 国办发明电〔2022〕16号):
    ///
    /// | holiday | days off | make-up working days |
    /// |---|---|---|
    /// | New Year | 2022-12-31 – 2023-01-02 | — |
    /// | Spring Festival | 01-21 – 01-27 | 01-28 (Sat), 01-29 (Sun) |
    /// | Qingming | 04-05 | — |
    /// | Labour Day | 04-29 – 05-03 | 04-23 (Sun), 05-06 (Sat) |
    /// | Dragon Boat | 06-22 – 06-24 | 06-25 (Sun) |
    /// | Mid-Autumn and National Day | 09-29 – 10-06 | 10-07 (Sat), 10-08 (Sun) |
    ///
    /// `seeds/calendar/2023.json` holds the same data; a test keeps the two equal.
    public static let china2023 = WorkingDayCalendar(
        holidays: Set(
            days("2022-12-31", through: "2023-01-02") + days("2023-01-21", through: "2023-01-27")
                + days("2023-04-05", through: "2023-04-05") + days("2023-04-29", through: "2023-05-03")
                + days("2023-06-22", through: "2023-06-24") + days("2023-09-29", through: "2023-10-06")),
        makeUpWorkdays: Set(
            ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"]
                .map { CalendarDate($0)! }))

    private static func days(_ first: String, through last: String) -> [CalendarDate] {
        let start = CalendarDate(first)!
        return (0...start.days(until: CalendarDate(last)!)).map { start.adding(days: $0) }
    }
}
