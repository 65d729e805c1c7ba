import Foundation

/// The `-Encoding` values of PowerShell 7's file cmdlets, with the bytes they write.
/// PowerShell 7's default (and `utf8`) is UTF-8 without a byte-order mark; `utf8BOM`,
/// `unicode`, `bigendianunicode`, `utf32` and `bigendianutf32` write their BOM at the
/// start of a file. [about_Character_Encoding; Export-Csv -Encoding]
public enum TextFileEncoding: String, Sendable, CaseIterable {
    case utf8NoBOM, utf8BOM, ascii, unicode, bigEndianUnicode, utf32, bigEndianUTF32

    /// The encoding an `-Encoding` argument names (names ignore case; a few code pages
    /// by number, as `Encoding.GetEncoding` takes them), or nil.
    public init?(argument: String) {
        switch argument.trimmingCharacters(in: .whitespaces).lowercased() {
        case "utf8", "utf8nobom", "default", "oem": self = .utf8NoBOM
        case "utf8bom", "utf-8", "65001": self = .utf8BOM
        case "ascii", "us-ascii", "20127": self = .ascii
        case "unicode", "utf-16", "utf-16le", "1200": self = .unicode
        case "bigendianunicode", "utf-16be", "1201": self = .bigEndianUnicode
        case "utf32", "utf-32", "12000": self = .utf32
        case "bigendianutf32", "utf-32be", "12001": self = .bigEndianUTF32
        default: return nil
        }
    }

    /// The names tab completion offers.
    public static let argumentNames = ["ascii", "bigendianunicode", "bigendianutf32", "oem", "unicode", "utf8", "utf8BOM", "utf8NoBOM", "utf32"]

    /// The byte-order mark written at the start of a file.
    public var preamble: [UInt8] {
        switch self {
        case .utf8NoBOM, .ascii: return []
        case .utf8BOM: return [0xEF, 0xBB, 0xBF]
        case .unicode: return [0xFF, 0xFE]
        case .bigEndianUnicode: return [0xFE, 0xFF]
        case .utf32: return [0xFF, 0xFE, 0x00, 0x00]
        case .bigEndianUTF32: return [0x00, 0x00, 0xFE, 0xFF]
        }
    }

    /// The text's bytes, without the preamble. ASCII writes `?` for anything beyond 0x7F.
    public func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8NoBOM, .utf8BOM: return Array(text.utf8)
        case .ascii: return text.unicodeScalars.map { $0.value < 0x80 ? UInt8($0.value) : UInt8(ascii: "?") }
        case .unicode: return text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .bigEndianUnicode: return text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .utf32: return text.unicodeScalars.flatMap { v in (0..<4).map { UInt8((v.value >> (8 * $0)) & 0xFF) } }
        case .bigEndianUTF32: return text.unicodeScalars.flatMap { v in (0..<4).reversed().map { UInt8((v.value >> (8 * $0)) & 0xFF) } }
        }
    }

    /// The encoding a file's byte-order mark announces (StreamReader's detection), if any.
    public static func detect(_ bytes: [UInt8]) -> TextFileEncoding? {
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return .utf32 }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return .bigEndianUTF32 }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8BOM }
        if bytes.starts(with: [0xFF, 0xFE]) { return .unicode }
        if bytes.starts(with: [0xFE, 0xFF]) { return .bigEndianUnicode }
        return nil
    }

    /// Decodes a file's bytes: the BOM decides when there is one, else this encoding.
    /// Invalid sequences become U+FFFD, as .NET's decoders make them.
    public func decode(_ bytes: [UInt8]) -> String {
        let encoding = TextFileEncoding.detect(bytes) ?? self
        let body = Array(bytes.dropFirst(TextFileEncoding.detect(bytes)?.preamble.count ?? 0))
        switch encoding {
        case .utf8NoBOM, .utf8BOM: return String(decoding: body, as: UTF8.self)
        case .ascii: return String(String.UnicodeScalarView(body.map { Unicode.Scalar($0 < 0x80 ? $0 : 0x3F) }))
        case .unicode, .bigEndianUnicode:
            let units = stride(from: 0, to: body.count - 1, by: 2).map { i -> UInt16 in
                encoding == .unicode ? UInt16(body[i]) | UInt16(body[i + 1]) << 8 : UInt16(body[i]) << 8 | UInt16(body[i + 1])
            }
            return String(decoding: units, as: UTF16.self)
        case .utf32, .bigEndianUTF32:
            let scalars = stride(from: 0, to: body.count - 3, by: 4).map { i -> Unicode.Scalar in
                let b = body[i..<(i + 4)].map(UInt32.init)
                let v = encoding == .utf32 ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
                return Unicode.Scalar(v) ?? "\u{FFFD}"
            }
            return String(String.UnicodeScalarView(scalars))
        }
    }
}
