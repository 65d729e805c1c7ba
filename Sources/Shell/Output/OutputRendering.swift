/// The renderer the interpreter uses for a statement's output (Out-Default).
enum OutputRendering {
    static func render(_ values: [PSValue]) -> String {
        values.map { v -> String in
            if case .object(let o) = v { return o.properties.map { "\($0.0) : \($0.1.text)" }.joined(separator: "\n") + "\n" }
            return v.text
        }.joined(separator: "\n") + "\n"
    }
}
