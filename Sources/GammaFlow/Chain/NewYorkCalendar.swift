import Foundation

/// Calendar arithmetic in New York local time (America/New_York, with
/// daylight saving from the system time-zone database), where US index options
/// are listed, settled and counted.
public enum NewYorkCalendar {
    /// The America/New_York time zone. Requires the system tz database
    /// (Debian: `tzdata`).
    public static let timeZone: TimeZone = {
        guard let tz = TimeZone(identifier: "America/New_York") else {
            preconditionFailure("America/New_York is missing from the time-zone database; install tzdata")
        }
        return tz
    }()

    /// A Gregorian calendar in New York time.
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()

    /// The instant of a New York wall-clock time on a date (year, month, day,
    /// hour, minute, second), honouring daylight saving.
    public static func instant(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0
    ) -> Date? {
        var parts = DateComponents()
        parts.year = year
        parts.month = month
        parts.day = day
        parts.hour = hour
        parts.minute = minute
        parts.second = second
        guard let date = calendar.date(from: parts) else { return nil }
        // Reject dates the calendar normalised (e.g. February 30).
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    /// Whether the New York date of `date` is a Saturday or a Sunday.
    public static func isWeekend(_ date: Date) -> Bool {
        let w = calendar.component(.weekday, from: date)  // 1 = Sunday, 7 = Saturday
        return w == 1 || w == 7
    }

    /// Whole weekdays from the New York date of `start` (inclusive) to that of
    /// `end` (exclusive); negative when `end` is on an earlier date. Matches
    /// `numpy.busday_count` with the default weekmask and no holidays.
    public static func weekdayCount(from start: Date, to end: Date) -> Int {
        let d0 = calendar.startOfDay(for: start)
        let d1 = calendar.startOfDay(for: end)
        if d1 < d0 { return -weekdayCount(from: end, to: start) }
        let days = calendar.dateComponents([.day], from: d0, to: d1).day ?? 0
        let fullWeeks = days / 7
        var count = fullWeeks * 5
        var cursor = calendar.date(byAdding: .day, value: fullWeeks * 7, to: d0) ?? d0
        while cursor < d1 {
            if !isWeekend(cursor) { count += 1 }
            guard let next = calendar.date(byAdding: .day, value: 1, to: cursor) else { break }
            cursor = next
        }
        return count
    }

    /// Seconds between two instants that fall on New York weekdays (negative
    /// when `end` precedes `start`). Each weekday contributes up to 86,400
    /// seconds of its wall-clock day; weekend days contribute nothing.
    public static func weekdaySeconds(from start: Date, to end: Date) -> Double {
        if end < start { return -weekdaySeconds(from: end, to: start) }
        var total = 0.0
        var cursor = start
        while cursor < end {
            let dayStart = calendar.startOfDay(for: cursor)
            guard let nextDay = calendar.date(byAdding: .day, value: 1, to: dayStart) else { break }
            let segmentEnd = min(nextDay, end)
            if !isWeekend(cursor) {
                // Scale to a nominal 86,400-second day so that DST days count as one day.
                let dayLength = nextDay.timeIntervalSince(dayStart)
                total += segmentEnd.timeIntervalSince(cursor) / dayLength * 86_400
            }
            cursor = segmentEnd
        }
        return total
    }
}
