import ArgumentParser

@main
struct GammaFlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gammaflow",
        abstract: "Black-Scholes Greeks, dealer exposures and levels for option chains.",
        discussion: """
            Every command prints the conventions it used (time basis, dealer positioning, settlement, \
            rate and dividend yield) and what it excluded, with counts. Input errors name the file, the \
            line and the field, and the exit status is non-zero.

            Examples:
              gammaflow greeks --chain Examples/data/spx_sample_chain.csv --spot 5850 --as-of 2026-11-20T15:30:00Z --summary
              gammaflow levels --cboe spx_quotedata.csv --format json
              gammaflow profile --cboe spx_quotedata.csv --from 4400 --to 5000 --steps 120 --svg gex.svg
              gammaflow bench greeks --n 100000 --format json
            """,
        subcommands: [
            GreeksCommand.self, LevelsCommand.self, ProfileCommand.self, IVCommand.self, BenchCommand.self,
        ])
}
