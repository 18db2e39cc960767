import ArgumentParser
import Foundation
import GammaFlow

/// `gammaflow profile`: dealer GEX, DEX and VEX against hypothetical spot.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Dealer GEX, DEX and VEX on a grid of hypothetical spots (vols sticky by strike).",
        discussion: """
            One row per grid spot: spot (index points), gex ($ of dealer delta per 1% move), dex (dealer \
            delta in $), vex ($ of dealer delta per vol point), then gex_0dte, gex_calls and gex_puts \
            (the same GEX restricted to 0DTE options, calls, puts). CSV goes to stdout and the \
            assumptions, units and zero crossings to stderr; JSON carries them in the document.

            Exit codes: 0 on success, 2 when the chain or trades file is unreadable or invalid, 64 for bad flags.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @OptionGroup var inputs: DealerInputs

    @Option(help: "Lowest grid spot, index points (default: 0.8 x spot).")
    var from: Double?

    @Option(help: "Highest grid spot, index points (default: 1.2 x spot).")
    var to: Double?

    @Option(help: "Grid intervals; the grid has steps + 1 spots.")
    var steps: Int = 100

    @Option(help: "Output format: csv (default) or json.")
    var format: Format = .csv

    @Option(help: "Profile path: automatic (the measured winner for the shape), fused (SIMD) or gemm (BLAS).")
    var method: ProfileMethod = .automatic

    @Option(
        name: .customLong("vol-dynamics"),
        help:
            "How vols move with spot: sticky-strike (default) or sticky-moneyness (each expiry's smile, piecewise linear in ln(K/S), moves with spot)."
    )
    var volDynamics: VolDynamics = .stickyStrike

    @Option(help: ArgumentHelp("Also draw the GEX-by-strike and profile chart to this SVG file.", valueName: "file"))
    var svg: String?

    func validate() throws {
        guard steps >= 1 && steps <= 1_000_000 else { throw ValidationError("--steps must be in 1...1000000") }
        let lo = from ?? inputs.market.spot * 0.8
        let hi = to ?? inputs.market.spot * 1.2
        guard lo.isFinite, hi.isFinite, lo > 0, hi > lo else {
            throw ValidationError("--from and --to must be finite with 0 < from < to (got \(lo), \(hi))")
        }
    }

    func run() throws {
        let loaded = try inputs.loadBook()
        let book = loaded.book
        let spot = inputs.market.spot
        let lo = from ?? spot * 0.8
        let hi = to ?? spot * 1.2
        let grid = (0...steps).map { lo + (hi - lo) * Double($0) / Double(steps) }
        let p = book.profile(spots: grid, dynamics: volDynamics, anchorSpot: spot, method: method)
        let crossings = p.gexZeroCrossings()
        switch format {
        case .csv:
            for (k, v) in assumptions(loaded) { StandardError.print("# \(k): \(v)") }
            StandardError.print("# method: \(p.method.rawValue)")
            StandardError.print(
                "# units: spot index points; gex $ of dealer delta per 1% move; dex dealer delta $; vex $ of dealer delta per vol point"
            )
            StandardError.print(
                "# gex zero crossings (linear between grid spots): "
                    + (crossings.isEmpty ? "none" : crossings.map { dealerFixed($0, 2) }.joined(separator: ", ")))
            var out = "spot,gex,dex,vex,gex_0dte,gex_calls,gex_puts\n"
            for s in p.spots.indices {
                out +=
                    [p.spots[s], p.gex[s], p.dex[s], p.vex[s], p.gexZeroDTE[s], p.gexCalls[s], p.gexPuts[s]]
                    .map { "\($0)" }.joined(separator: ",") + "\n"
            }
            print(out, terminator: "")
        case .json:
            let rows: [DealerJSON] = p.spots.indices.map { s in
                .object([
                    ("spot", .number(p.spots[s])), ("gex", .number(p.gex[s])), ("dex", .number(p.dex[s])),
                    ("vex", .number(p.vex[s])), ("gex_0dte", .number(p.gexZeroDTE[s])),
                    ("gex_calls", .number(p.gexCalls[s])), ("gex_puts", .number(p.gexPuts[s])),
                ])
            }
            let doc: DealerJSON = .object([
                ("spot", .number(spot)),
                ("method", .string(p.method.rawValue)),
                ("gex_zero_crossings", .array(crossings.map { .number($0) })),
                ("conventions", .object(assumptions(loaded).map { ($0.0, DealerJSON.string($0.1)) })),
                (
                    "units",
                    .object([
                        ("spot", .string("index points")),
                        ("gex", .string("$ of dealer delta per 1% move: position x multiplier x gamma x S^2 x 0.01")),
                        ("dex", .string("dealer delta in $: position x multiplier x delta x S")),
                        ("vex", .string("$ of dealer delta per 1 vol point")),
                    ])
                ),
                ("rows", .array(rows)),
            ])
            print(doc.rendered())
        }
        if let svg {
            let levels = book.levels(spot: spot)
            try inputs.writeSVG(
                to: svg, book: book, levels: levels, exposures: book.exposures(spot: spot), profile: p, loaded: loaded,
                volDynamics: volDynamics)
        }
    }

    /// The shared assumptions with this command's vol dynamics.
    func assumptions(_ loaded: DealerInputs.Loaded) -> [(String, String)] {
        inputs.assumptions(loaded).map { $0.0 == "vol dynamics" ? ($0.0, volDynamics.description) : $0 }
    }
}

extension ProfileMethod: ExpressibleByArgument {}
extension VolDynamics: ExpressibleByArgument {}
