/// Tab completion for the interactive shell: command names, then the command's parameter
/// names, then the values of an enum-typed (or Boolean) parameter. All of it comes from the
/// registry.
public enum Completion {
    /// The word being completed and its candidates, for the text before the cursor.
    public static func candidates(for line: String, session: ShellSession) -> (word: String, candidates: [String]) {
        // The current command is the text after the last pipe or statement separator.
        let segment = String(line.split(separator: "|", omittingEmptySubsequences: false).last ?? "")
            .split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let endsWithSpace = segment.last.map { $0 == " " || $0 == "\t" } ?? false
        let words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let word = endsWithSpace ? "" : (words.last ?? "")
        let available = session.registry.definitions.filter { session.isAvailable($0.module) }

        // Completing the command name itself.
        if words.isEmpty || (words.count == 1 && !endsWithSpace) {
            let names = available.map(\.name) + session.registry.aliases.keys.filter { $0.first?.isLetter == true }
            return (word, names.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted { $0.lowercased() < $1.lowercased() })
        }
        guard let definition = session.registry.resolve(words[0]), session.isAvailable(definition.module) else { return (word, []) }
        var parameters = definition.parameters + CommonParameters.all
        if definition.supportsShouldProcess { parameters += CommonParameters.shouldProcess }

        if let first = word.first, Parser.isDash(first) {
            let prefix = String(word.dropFirst()).lowercased()
            return (word, parameters.map(\.name).filter { $0.lowercased().hasPrefix(prefix) }.map { "-" + $0 })
        }
        // A value: look at the parameter before it.
        let previousIndex = endsWithSpace ? words.count - 1 : words.count - 2
        if previousIndex >= 1, let dash = words[previousIndex].first, Parser.isDash(dash) {
            let name = String(words[previousIndex].dropFirst()).lowercased()
            if let p = parameters.first(where: { $0.name.lowercased() == name })
                ?? parameters.filter({ $0.name.lowercased().hasPrefix(name) }).first {
                let values = p.type.completions
                let lastItem = String(word.split(separator: ",", omittingEmptySubsequences: false).last ?? "")
                let head = String(word.dropLast(lastItem.count))
                return (word, values.filter { $0.lowercased().hasPrefix(lastItem.lowercased()) }.map { head + $0 })
            }
        }
        return (word, [])
    }

    /// The longest common prefix of the candidates (what one Tab inserts when several match).
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.lowercased().hasPrefix(prefix.lowercased()) { prefix.removeLast() }
        }
        return prefix
    }
}
