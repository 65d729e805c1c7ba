import Foundation
import TenantModel

extension Interpreter {
    /// Runs one cmdlet with parameters that arrive already as values (the REST endpoint's
    /// `CmdletInput`), through the same resolution, binding, conversion and error handling
    /// as a typed command line. A value of `true` for a switch is `-Switch:$true`.
    public func runCommand(_ name: String, parameters: [(name: String, value: PSValue)]) -> RunResult {
        let text = ([name] + parameters.map { "-\($0.name)" }).joined(separator: " ")
        let span = SourceSpan(start: 0, end: text.count, line: 1, column: 1)
        let call = CommandCall(name: name, nameSpan: SourceSpan(start: 0, end: name.count, line: 1, column: 1),
                               arguments: parameters.map { .parameter(name: $0.name, value: .literal($0.value, span), span: span) },
                               span: span)
        return runSynthetic(text) { try self.invoke(call, input: nil) }
    }
}
