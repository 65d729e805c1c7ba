extension String {
    /// The text without leading and trailing spaces and tabs. Cheap when there are none,
    /// which is the common case on load paths (Foundation's trimming bridges to NSString).
    public var trimmedWhitespace: String {
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if first != 32, first != 9, last != 32, last != 9 { return self }
        var s = Substring(self)
        while let c = s.utf8.first, c == 32 || c == 9 { s = s.dropFirst() }
        while let c = s.utf8.last, c == 32 || c == 9 { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    public var trimmedWhitespace: String { String(self).trimmedWhitespace }
}
