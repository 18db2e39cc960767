import ArgumentParser

@main
struct GammaFlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gammaflow",
        abstract: "Black-Scholes Greeks, dealer exposures and levels for option chains.",
        subcommands: [GreeksCommand.self, LevelsCommand.self, ProfileCommand.self, IVCommand.self])
}
