import Foundation

extension CBOEQuoteData {
    /// The 22 column names of a quotedata file, in order (compared without
    /// regard to case or surrounding spaces).
    public static let columnNames = [
        "Expiration Date", "Calls", "Last Sale", "Net", "Bid", "Ask", "Volume", "IV", "Delta", "Gamma",
        "Open Interest", "Strike", "Puts", "Last Sale", "Net", "Bid", "Ask", "Volume", "IV", "Delta", "Gamma",
        "Open Interest",
    ]

    /// Line 1: `NAME,Last: PRICE,...`.
    static func parseTitle(_ record: CSVRecord, source: String) throws -> (String, Double) {
        let name = record.fields[0]
        guard let field = record.fields.first(where: { $0.hasPrefix("Last:") }) else {
            throw ChainError(
                source: source, line: record.line, field: "Last", value: record.fields.joined(separator: ","),
                kind: .malformed(expected: "the underlying's name and `Last: <price>` on the first line"))
        }
        let text = field.dropFirst("Last:".count).trimmingCharacters(in: .whitespaces)
        guard let spot = Double(text), spot.isFinite, spot >= .leastNormalMagnitude else {
            throw ChainError(
                source: source, line: record.line, field: "Last", value: text,
                kind: .invalidValue("the underlying's last price must be a finite positive number (at least 2.2e-308)"))
        }
        return (name, spot)
    }

    /// Line 2: `"Date: January 7, 2024 at 10:52 AM EST",Bid: ...`.
    static func parseDateLine(_ record: CSVRecord, source: String) throws -> (Date, String) {
        guard let field = record.fields.first(where: { $0.hasPrefix("Date:") }) else {
            throw ChainError(
                source: source, line: record.line, field: "Date", value: record.fields.first,
                kind: .malformed(expected: "`Date: <snapshot time>` on the second line"))
        }
        let text = field.dropFirst("Date:".count).trimmingCharacters(in: .whitespaces)
        do {
            return (try parseSnapshotTime(text), text)
        } catch let why as SnapshotTimeError {
            let kind: ChainError.Kind
            switch why {
            case .malformed:
                kind = .malformed(expected: "a New York time like `January 7, 2024 at 10:52 AM EST`")
            case .wrongZone(let zone):
                kind = .invalidValue("\(zone) is not New York's time zone on that date")
            }
            throw ChainError(source: source, line: record.line, field: "Date", value: text, kind: kind)
        }
    }

    enum SnapshotTimeError: Error {
        case malformed
        case wrongZone(String)
    }

    /// Parses the snapshot time in the spellings Cboe has used:
    /// `January 7, 2024 at 10:52 AM EST`, `July 12, 2022, 11:55 AM EDT`,
    /// `February 5 2022, 8:09 PM EST`; seconds, a 24-hour clock, `ET` or no
    /// zone are accepted too. The wall time is New York's: `EST`/`EDT` must be
    /// the zone in force in New York at that time (they pick the hour that
    /// repeats when daylight saving ends), `ET` or none lets the time-zone
    /// database decide.
    static func parseSnapshotTime(_ text: String) throws -> Date {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        tokens.removeAll { $0.lowercased() == "at" }
        guard tokens.count >= 4, let month = ExpirationDay.month(named: tokens[0]),
            let day = Int(tokens[1]), (1...31).contains(day), let year = Int(tokens[2]), (1900...2200).contains(year)
        else { throw SnapshotTimeError.malformed }
        var clock = tokens[3].lowercased()
        var rest = tokens.dropFirst(4).map { $0.uppercased() }
        var meridiem: String?
        for suffix in ["am", "pm"] where clock.hasSuffix(suffix) {
            meridiem = suffix.uppercased()
            clock.removeLast(2)
        }
        if meridiem == nil, let m = rest.first, m == "AM" || m == "PM" {
            meridiem = m
            rest.removeFirst()
        }
        let hms = clock.split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), let h = hms[0], let minute = hms[1], (0...59).contains(minute),
            let second = hms.count == 3 ? hms[2] : 0, (0...59).contains(second)
        else { throw SnapshotTimeError.malformed }
        var hour = h
        if let meridiem {
            guard (1...12).contains(h) else { throw SnapshotTimeError.malformed }
            hour = h % 12 + (meridiem == "PM" ? 12 : 0)
        } else {
            guard (0...23).contains(h) else { throw SnapshotTimeError.malformed }
        }
        guard rest.count <= 1 else { throw SnapshotTimeError.malformed }
        let zone = rest.first ?? "ET"
        let offsetHours: Int
        switch zone {
        case "EST": offsetHours = -5
        case "EDT": offsetHours = -4
        case "ET":
            guard
                let date = NewYorkCalendar.instant(
                    year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            else { throw SnapshotTimeError.malformed }
            return date
        default: throw SnapshotTimeError.malformed
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(secondsFromGMT: 0)!
        var parts = DateComponents()
        (parts.year, parts.month, parts.day) = (year, month, day)
        (parts.hour, parts.minute, parts.second) = (hour, minute, second)
        guard let wall = utc.date(from: parts), utc.component(.day, from: wall) == day else {
            throw SnapshotTimeError.malformed
        }
        let instant = wall.addingTimeInterval(Double(-offsetHours * 3600))
        guard NewYorkCalendar.timeZone.secondsFromGMT(for: instant) == offsetHours * 3600 else {
            throw SnapshotTimeError.wrongZone(zone)
        }
        return instant
    }

    /// Line 3: the 22 column names (trailing empty fields allowed).
    static func checkColumns(_ record: CSVRecord, source: String) throws {
        for (i, expected) in columnNames.enumerated() {
            guard i < record.fields.count else {
                throw ChainError(source: source, line: record.line, field: expected, kind: .missingColumn)
            }
            if record.fields[i].lowercased() != expected.lowercased() {
                throw ChainError(
                    source: source, line: record.line, field: expected, value: record.fields[i],
                    kind: .malformed(expected: "column \(i + 1) of the quotedata header to be '\(expected)'"))
            }
        }
        if let extra = record.fields.dropFirst(columnNames.count).first(where: { !$0.isEmpty }) {
            throw ChainError(
                source: source, line: record.line, field: nil, value: extra,
                kind: .malformed(expected: "exactly the 22 quotedata columns"))
        }
    }
}
