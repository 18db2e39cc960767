import Foundation

/// A fast parser and printer for the ISO-8601 / RFC 3339 date-times of the
/// native chain CSV, written by hand so that loading a large chain does not
/// allocate a `DateFormatter` (or run its general pattern machinery) per row.
///
/// Accepted shape, with an explicit zone (a time without a zone is ambiguous
/// and refused):
/// ```
/// YYYY-MM-DDThh:mm:ss[.f...](Z | +hh:mm | -hh:mm | +hhmm | -hhmm)
/// ```
/// `T` and `Z` may be lowercase, any number of fractional-second digits is
/// allowed, offsets go up to 23:59. The date must exist (leap years are
/// honoured); seconds run 0-59. Results agree with Foundation's
/// `ISO8601DateFormatter` (`.withInternetDateTime`, plus
/// `.withFractionalSeconds` when there is a fraction) to the microsecond.
public enum ISO8601Timestamp {
    /// Why a text is not an accepted timestamp.
    public enum Failure: Error, Sendable, Hashable {
        /// The text is a well-formed date-time that lacks a zone (`Z` or an offset).
        case missingZone
        /// The text does not have the accepted shape or names an impossible date or time.
        case malformed
    }

    /// The instant `text` names, or `nil` if it is not an accepted timestamp.
    public static func date(from text: String) -> Date? {
        try? parse(text).get()
    }

    /// The instant `text` names, or why it is not an accepted timestamp.
    public static func parse(_ text: String) -> Result<Date, Failure> {
        if let r = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return r }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// `2026-12-11T21:00:00Z` in UTC. A fraction of a second, when present,
    /// is rounded to the microsecond (a `Date` near today holds about 0.2
    /// microseconds of precision, so finer digits would be noise) and printed
    /// without trailing zeros; parsing the result gives back the same instant
    /// to within half a microsecond.
    public static func string(from date: Date) -> String {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        var micros = Int64(((t - whole) * 1e6).rounded())
        var seconds = Int64(whole)
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        var s = ""
        s.reserveCapacity(30)
        appendPadded(&s, y, width: 4)
        s.append("-")
        appendPadded(&s, m, width: 2)
        s.append("-")
        appendPadded(&s, d, width: 2)
        s.append("T")
        appendPadded(&s, secondOfDay / 3600, width: 2)
        s.append(":")
        appendPadded(&s, secondOfDay / 60 % 60, width: 2)
        s.append(":")
        appendPadded(&s, secondOfDay % 60, width: 2)
        if micros > 0 {
            var digits = 6
            while micros % 10 == 0 {
                micros /= 10
                digits -= 1
            }
            s.append(".")
            appendPadded(&s, micros, width: digits)
        }
        s.append("Z")
        return s
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Result<Date, Failure> {
        let n = b.count
        // Reads `count` ASCII digits at `at` as a number, or nil.
        func number(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= n else { return nil }
            var v: Int64 = 0
            for i in at..<(at + count) {
                let c = b[i] &- 48
                guard c < 10 else { return nil }
                v = v * 10 + Int64(c)
            }
            return v
        }
        func byte(_ at: Int) -> UInt8 { at < n ? b[at] : 0 }

        guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"),
            let month = number(5, 2), byte(7) == UInt8(ascii: "-"),
            let day = number(8, 2),
            byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"),
            let hour = number(11, 2), byte(13) == UInt8(ascii: ":"),
            let minute = number(14, 2), byte(16) == UInt8(ascii: ":"),
            let second = number(17, 2)
        else { return .failure(.malformed) }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return .failure(.malformed) }

        var i = 19
        var fraction = 0.0
        if byte(i) == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < n, b[i] &- 48 < 10 {
                fraction += Double(b[i] &- 48) * scale
                scale *= 0.1
                i += 1
            }
            if i == start { return .failure(.malformed) }
        }

        var offset: Int64 = 0
        switch byte(i) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = number(i + 1, 2) else { return .failure(.malformed) }
            var om: Int64
            if byte(i + 3) == UInt8(ascii: ":") {
                guard let m = number(i + 4, 2) else { return .failure(.malformed) }
                om = m
                i += 6
            } else {
                guard let m = number(i + 3, 2) else { return .failure(.malformed) }
                om = m
                i += 5
            }
            guard oh < 24, om < 60 else { return .failure(.malformed) }
            offset = sign * (oh * 3600 + om * 60)
        case 0 where i == n:
            return .failure(.missingZone)
        default:
            return .failure(.malformed)
        }
        guard i == n else { return .failure(.malformed) }

        let days = days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return .success(Date(timeIntervalSince1970: Double(seconds) + fraction))
    }

    static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month m: Int64, year y: Int64) -> Int64 {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", `days_from_civil`).
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of ``days(fromCivil:_:_:)`` (Hinnant, `civil_from_days`).
    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func appendPadded(_ s: inout String, _ v: Int64, width: Int) {
        var digits = String(v)
        if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
        s.append(digits)
    }
}
