import Contracts
import Foundation
import Testing

@Suite struct WorkingDayCalendarTests {
    let calendar = WorkingDayCalendar.china2023

    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func holidaysMakeUpDaysAndWeekends() {
        #expect(!calendar.isWorkingDay(day("2022-12-31")))
        #expect(!calendar.isWorkingDay(day("2023-01-02")))
        #expect(!calendar.isWorkingDay(day("2023-01-27")))
        #expect(calendar.isWorkingDay(day("2023-01-28")))  // Saturday, make-up
        #expect(calendar.isWorkingDay(day("2023-01-29")))  // Sunday, make-up
        #expect(!calendar.isWorkingDay(day("2023-04-05")))  // Qingming, Wednesday
        #expect(calendar.isWorkingDay(day("2023-04-23")))
        #expect(!calendar.isWorkingDay(day("2023-05-03")))
        #expect(calendar.isWorkingDay(day("2023-05-06")))
        #expect(!calendar.isWorkingDay(day("2023-06-23")))
        #expect(calendar.isWorkingDay(day("2023-06-25")))
        #expect(!calendar.isWorkingDay(day("2023-09-29")))
        #expect(!calendar.isWorkingDay(day("2023-10-06")))
        #expect(calendar.isWorkingDay(day("2023-10-07")) && calendar.isWorkingDay(day("2023-10-08")))
        #expect(!calendar.isWorkingDay(day("2023-10-14")))  // an ordinary Saturday
        #expect(calendar.isWorkingDay(day("2023-10-09")))
    }

    @Test func year2023Has249WorkingDays() {
        #expect(calendar.workingDays(from: day("2022-12-31"), to: day("2023-12-31")) == 249)
    }

    /// The day of receipt is not counted: 09-28 (1), holiday 09-29…10-06, 10-07 (2) and 10-08 (3) make-up days,
    /// 10-09 (4), 10-10 (5), 10-11 (6), 10-12 (7).
    @Test func sevenWorkingDaysAcrossNationalDay() {
        #expect(calendar.addingWorkingDays(7, to: day("2023-09-27")) == day("2023-10-12"))
        #expect(calendar.addingWorkingDays(6, to: day("2023-09-27")) == day("2023-10-11"))
        #expect(calendar.addingWorkingDays(1, to: day("2023-09-28")) == day("2023-10-07"))
    }

    @Test func sevenWorkingDaysAcrossTheSpringFestivalAndLabourDay() {
        #expect(calendar.addingWorkingDays(7, to: day("2023-01-19")) == day("2023-02-02"))
        #expect(calendar.addingWorkingDays(7, to: day("2023-04-27")) == day("2023-05-10"))
        #expect(calendar.addingWorkingDays(7, to: day("2023-06-20")) == day("2023-06-30"))
    }

    @Test func fortyFiveWorkingDaysOfMediation() {
        #expect(calendar.addingWorkingDays(45, to: day("2023-04-20")) == day("2023-06-26"))
        #expect(calendar.addingWorkingDays(45, to: day("2023-09-01")) == day("2023-11-09"))
        #expect(calendar.addingWorkingDays(45, to: day("2023-01-03")) == day("2023-03-10"))
        #expect(calendar.addingWorkingDays(45, to: day("2023-10-09")) == day("2023-12-11"))
    }

    @Test func countingAgreesWithAdding() {
        var start = day("2023-01-01")
        while start.year == 2023 {
            for count in [0, 1, 7, 45] {
                let end = calendar.addingWorkingDays(count, to: start)
                #expect(calendar.workingDays(from: start, to: end) == count)
            }
            start = start.adding(days: 5)
        }
        #expect(calendar.addingWorkingDays(-1, to: day("2023-10-09")) == day("2023-10-08"))
        #expect(calendar.workingDays(from: day("2023-10-12"), to: day("2023-09-27")) == -7)
    }

    @Test func loadsTheYearFileShapeAndRejectsContradictions() throws {
        let json = #"{"year":2023,"holidays":["2023-04-05"],"workdays":["2023-04-23"]}"#
        let loaded = try WorkingDayCalendar(jsonData: Data(json.utf8))
        #expect(!loaded.isWorkingDay(day("2023-04-05")) && loaded.isWorkingDay(day("2023-04-23")))
        #expect(throws: WorkingDayCalendar.LoadingError.self) {
            try WorkingDayCalendar(jsonData: Data(#"{"year":2023,"holidays":[],"workdays":["2023-04-24"]}"#.utf8))
        }
        #expect(throws: WorkingDayCalendar.LoadingError.self) {
            try WorkingDayCalendar(jsonData: Data(#"{"year":2023,"holidays":["2024-01-01"],"workdays":[]}"#.utf8))
        }
        #expect(throws: WorkingDayCalendar.LoadingError.self) { try WorkingDayCalendar(jsonData: Data("[]".utf8)) }
        #expect(try WorkingDayCalendar(years: [calendar.yearFile(2023)]) == calendar)
    }

    @Test func daysFallInShanghaiTime() {
        let lateUTC = InternetDateTime.date(from: "2023-09-28T16:30:00Z")!
        #expect(WorkingDayCalendar.day(of: lateUTC) == day("2023-09-29"))
        #expect(day("2023-09-29").startOfDay(in: WorkingDayCalendar.timeZone) == InternetDateTime.date(from: "2023-09-28T16:00:00Z"))
    }
}

@Suite struct CalendarDateTests {
    @Test func parsesValidatesAndOrders() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2023-1-05") == nil)
        #expect(CalendarDate("2023-13-01") == nil)
        #expect(CalendarDate("2023-05-01")! < CalendarDate("2023-05-02")!)
        #expect(CalendarDate("2023-05-01")?.weekday == .monday)
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CalendarDate("2023-12-31")!.adding(days: 1) == CalendarDate("2024-01-01"))
        #expect(CalendarDate("2023-01-01")!.days(until: CalendarDate("2024-01-01")!) == 365)
    }

    @Test func encodesAsADateString() throws {
        let text = String(decoding: try ContractJSON.encode([CalendarDate("2023-05-01")!]), as: UTF8.self)
        #expect(text == #"["2023-05-01"]"#)
        #expect(throws: DecodingError.self) { try ContractJSON.decode([CalendarDate].self, from: Array(#"["2023-02-30"]"#.utf8)) }
    }
}

@Suite struct FenTests {
    @Test func roundsHalfUpToTheFen() {
        #expect(Fen.percentage(of: 333, basisPoints: 1_500) == 50)  // 49.95 → 50
        #expect(Fen.percentage(of: 330, basisPoints: 1_500) == 50)  // 49.5 → 50
        #expect(Fen.percentage(of: 329, basisPoints: 1_500) == 49)  // 49.35 → 49
        #expect(Fen.percentage(of: 1_286_000, basisPoints: 1_500) == 192_900)
        #expect(Fen.percentage(of: 1, basisPoints: 4_999) == 0)
        #expect(Fen.percentage(of: 1, basisPoints: 5_000) == 1)
        #expect(Fen.percentage(of: -333, basisPoints: 1_500) == -50)
        #expect(Fen.percentage(of: Fen(Int64.max / 2), basisPoints: 10_000) == Fen(Int64.max / 2))
    }

    @Test func arithmeticAndFormatting() {
        #expect(Fen(yuan: 5) + 50 == Fen(550))
        #expect([Fen(1), Fen(2), Fen(3)].sum() == 6)
        #expect(Fen(12_345).description == "¥123.45")
        #expect(Fen(-5).description == "-¥0.05")
        #expect(min(Fen(yuan: 5_000), Fen(192_900)) == 192_900)
    }

    @Test func encodesAsAPlainInteger() throws {
        #expect(String(decoding: try ContractJSON.encode([Fen(192_900)]), as: UTF8.self) == "[192900]")
        #expect(throws: DecodingError.self) { try ContractJSON.decode([Fen].self, from: Array("[1.5]".utf8)) }
    }
}
