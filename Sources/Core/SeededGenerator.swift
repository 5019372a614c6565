/// A small, fast, seedable random number generator (SplitMix64).
///
/// The demo network, the benchmarks' workloads and the seeded fuzz tests must produce the
/// same data for the same seed on every machine and every Swift release, so the demo and the
/// benchmarks do not go through the standard library's `random(in:using:)` algorithms (which
/// are free to change between releases): their draws are derived from ``next()`` directly
/// (DemoNetwork's `Sampling.swift` holds the demo's helpers).
///
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014) passes BigCrush, needs one word of state and costs a few instructions per
/// draw, which matters when a benchmark generates a million events.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for one part of the network (say, case 1,234), so that adding
    /// draws to one part does not shift the numbers every later part receives.
    public func derived(_ stream: UInt64) -> SeededGenerator {
        var mixer = SeededGenerator(seed: state ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: mixer.next())
    }
}
