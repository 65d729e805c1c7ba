/// A fixture that cannot be loaded: where (file, line, column) and what would be valid.
/// Nothing of a fixture is loaded when any error is found.
public struct FixtureError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A store that cannot be opened, read or written.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
