/// The renderer the interpreter uses for a statement's output (Out-Default).
enum OutputRendering {
    static func render(_ values: [PSValue]) -> String {
        OutputFormatter.render(values)
    }
}
