import GammaFlow
import RealModule

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): a small, fast, seedable generator, so that
/// every random test can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// Log-uniform in `[lo, hi]` (both positive): every decade equally likely.
    mutating func logUniform(_ lo: Double, _ hi: Double) -> Double {
        let x = lo * Double.exp(uniform(0...1) * Double.log(hi / lo))
        return min(max(x, lo), hi)
    }

    /// A call or a put, equally likely.
    mutating func kind() -> OptionKind { Bool.random(using: &self) ? .call : .put }
}
