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

            The options come from --chain FILE (with --spot) or --cboe FILE (spot and as-of from the \
            file unless overridden; r = q = 0 unless given); a CBOE import report also goes to stderr \
            with CSV, and into "import" in the JSON. The grid defaults to spot -20% to +20%.

            Examples:
              gammaflow profile --cboe spx_quotedata.csv --steps 80 > profile.csv
              gammaflow profile --chain chain.csv --spot 5000 --from 4500 --to 5500

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

    @Option(
        help:
            "Profile path: automatic (the measured winner for the shape), fused (SIMD, exact d1), folded (SIMD, invariants folded around the grid's middle) or gemm (BLAS)."
    )
    var method: ProfileMethod = .automatic

    @Option(
        name: .customLong("vol-dynamics"),
        help:
            "How vols move with spot: sticky-strike (default) or sticky-moneyness (each expiry's smile, piecewise linear in ln(K/S), moves with spot)."
    )
    var volDynamics: VolDynamics = .stickyStrike

    @Option(
        name: .customLong("moneyness-smile"),
        help:
            "With --vol-dynamics sticky-moneyness: take the vols from a vega-weighted smile fitted per expiry (quadratic, cubic or svi in ln(K/F)/sqrt(T)) instead of interpolating the chain's vols."
    )
    var moneynessSmile: SmileModelChoice?

    @Option(help: ArgumentHelp("Also draw the GEX-by-strike and profile chart to this SVG file.", valueName: "file"))
    var svg: String?

    func validate() throws {
        if moneynessSmile != nil, volDynamics != .stickyMoneyness {
            throw ValidationError("--moneyness-smile applies to --vol-dynamics sticky-moneyness")
        }
        guard steps >= 1 && steps <= 1_000_000 else { throw ValidationError("--steps must be in 1...1000000") }
        // Spot may come from a --cboe file: defaults are checked again in run().
        if let spot = inputs.source.spot { try Self.checkGrid(from ?? spot * 0.8, to ?? spot * 1.2) }
        for x in [from, to].compactMap({ $0 }) where !(x.isFinite && x > 0) {
            throw ValidationError("--from and --to must be finite and > 0 (got \(x))")
        }
    }

    static func checkGrid(_ lo: Double, _ hi: Double) throws {
        guard lo.isFinite, hi.isFinite, lo > 0, hi > lo else {
            throw ValidationError("--from and --to must be finite with 0 < from < to (got \(lo), \(hi))")
        }
    }

    func run() throws {
        let loaded = try inputs.loadBook()
        let book = loaded.book
        let spot = loaded.context.spot
        let lo = from ?? spot * 0.8
        let hi = to ?? spot * 1.2
        do {
            try Self.checkGrid(lo, hi)
        } catch let error as ValidationError {
            StandardError.print("error: \(error.message) with spot \(spot) from \(loaded.source)")
            throw ExitCode(64)
        }
        let grid = (0...steps).map { lo + (hi - lo) * Double($0) / Double(steps) }
        let p: ExposureProfile
        if let moneynessSmile {
            let market = MarketParameters(spot: spot, rate: book.rate, dividendYield: book.dividendYield)
            let fit = SmileFit(chain: book.chain, market: market, model: moneynessSmile.model, weighting: .vega)
            p = book.profile(spots: grid, smile: fit, method: method)
        } else {
            p = book.profile(spots: grid, dynamics: volDynamics, anchorSpot: spot, method: method)
        }
        let crossings = p.gexZeroCrossings()
        switch format {
        case .csv:
            loaded.input.printImportReport()
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
                ("import", loaded.input.importJSON),
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
        let dynamics =
            moneynessSmile.map { "sticky moneyness (fitted \($0.rawValue) smile per expiry, vega-weighted)" }
            ?? volDynamics.description
        return inputs.assumptions(loaded).map { $0.0 == "vol dynamics" ? ($0.0, dynamics) : $0 }
    }
}

extension ProfileMethod: ExpressibleByArgument {}
extension VolDynamics: ExpressibleByArgument {}
