import Foundation

/// A calendar date (year, month, day) on which options expire, as the CBOE
/// file prints it (`Fri Jan 05 2024`). The instant of expiry on that date
/// depends on the option's settlement (see ``SettlementRule``).
public struct ExpirationDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2024.
    public var year: Int
    /// The month, 1...12.
    public var month: Int
    /// The day of the month, 1...31.
    public var day: Int

    /// Creates a date from its parts.
    /// - Precondition: `month` in 1...12 and `day` in 1...31.
    public init(year: Int, month: Int, day: Int) {
        precondition(
            (1...12).contains(month) && (1...31).contains(day), "ExpirationDay: bad date \(year)-\(month)-\(day)")
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the CBOE spelling `Fri Jan 05 2024` (weekday, abbreviated
    /// English month, day, year; the weekday is checked against the date).
    /// Returns `nil` for anything else or for a date that does not exist.
    public init?(cboe text: Substring) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 4,
            let month = ExpirationDay.month(named: parts[1]),
            let day = Int(parts[2]), let year = Int(parts[3]), (1...31).contains(day), (1900...2200).contains(year)
        else { return nil }
        self.init(year: year, month: month, day: day)
        guard let weekday = weekday, parts[0].lowercased() == ExpirationDay.weekdayNames[weekday - 1] else {
            return nil
        }
    }

    /// The weekday, 1 = Sunday ... 7 = Saturday, or `nil` when the date does
    /// not exist (e.g. February 30).
    public var weekday: Int? {
        guard let date = NewYorkCalendar.instant(year: year, month: month, day: day, hour: 12) else { return nil }
        return NewYorkCalendar.calendar.component(.weekday, from: date)
    }

    /// The New York date of an instant.
    public init(newYorkDateOf date: Date) {
        let c = NewYorkCalendar.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    public static func < (a: ExpirationDay, b: ExpirationDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// ISO 8601, e.g. `2024-01-05`.
    public var description: String {
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    /// The month number of an English month name, full or abbreviated to at
    /// least three letters (`Jan`, `January`, `Sept`), any case.
    static func month(named name: Substring) -> Int? {
        let lower = name.lowercased()
        guard lower.count >= 3 else { return nil }
        return monthNames.firstIndex { $0.hasPrefix(lower) }.map { $0 + 1 }
    }
}
