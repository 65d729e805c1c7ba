/// Renders an error record as Windows PowerShell's NormalView does — the format Exchange
/// admins know: message, `At line:L char:C`, the line with the offending text underlined,
/// CategoryInfo and FullyQualifiedErrorId. Errors from the Exchange service (remote) carry
/// no position and add PSComputerName.
public enum ErrorRendering {
    public static func render(_ error: ShellError, source: String) -> String {
        var out = ""
        let prefix = error.activity.isEmpty || error.isRemote ? "" : "\(error.activity) : "
        out += prefix + error.message + "\n"
        if !error.isRemote, let span = error.span, span.line > 0 {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.indices.contains(span.line - 1) {
                let line = String(lines[span.line - 1]).replacingOccurrences(of: "\r", with: "")
                out += "At line:\(span.line) char:\(span.column)\n"
                out += "+ " + line + "\n"
                let width = max(1, min(span.end - span.start, line.count - span.column + 1))
                out += "+ " + String(repeating: " ", count: max(0, span.column - 1)) + String(repeating: "~", count: width) + "\n"
            }
        }
        let targetType = error.targetName.isEmpty ? "" : "String"
        out += "    + CategoryInfo          : \(error.category.rawValue): (\(error.targetName):\(targetType)) [\(error.activity)], \(error.reason)\n"
        out += "    + FullyQualifiedErrorId : \(error.errorId)\n"
        if error.isRemote { out += "    + PSComputerName        : outlook.office365.com\n" }
        return out
    }
}
