/// Whether an option is a call or a put.
public enum OptionKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case call
    case put

    /// The payoff sign phi: +1 for a call, -1 for a put, so that the payoff is
    /// `max(phi * (S - K), 0)`.
    @inlinable
    public var phi: Double { self == .call ? 1 : -1 }

    /// `C` or `P`, as in the native chain CSV.
    public var description: String { self == .call ? "C" : "P" }
}
