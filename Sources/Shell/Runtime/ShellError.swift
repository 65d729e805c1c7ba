/// PowerShell's error categories (the subset the shell reports).
public enum ErrorCategory: String, Sendable {
    case NotSpecified, InvalidArgument, InvalidData, InvalidOperation, ObjectNotFound, ResourceExists
    case PermissionDenied, ParserError, ObjectNotFoundException, OperationStopped, SecurityError
    case AuthenticationError, WriteError, InvalidType, NotImplemented, ReadError, ConnectionError, OpenError, ResourceUnavailable, InvalidResult
}

/// An error as PowerShell reports it: the message, its category, the exception type name,
/// the FullyQualifiedErrorId, the activity (cmdlet) and where in the script it happened.
/// Errors are values; the front ends only format them.
public struct ShellError: Error, @unchecked Sendable, CustomStringConvertible {
    public var message: String
    public var category: ErrorCategory
    /// The .NET exception type named in CategoryInfo (`ParameterBindingArgumentTransformationException`).
    public var reason: String
    /// `ParameterArgumentTransformationError,New-ClientAccessRule`.
    public var errorId: String
    /// The cmdlet (or `ParserError` etc.) the error came from.
    public var activity: String
    public var targetName: String
    /// Where: the offending text (a parameter's value, a command name).
    public var span: SourceSpan?
    /// Errors that come from the Exchange service (not from local binding) print as a
    /// remote error: no position, and a `PSComputerName` line.
    public var isRemote: Bool
    /// Terminating errors stop the statement; others are written and the pipeline goes on.
    public var isTerminating: Bool

    public init(message: String, category: ErrorCategory = .NotSpecified, reason: String = "RuntimeException",
                errorId: String, activity: String = "", targetName: String = "", span: SourceSpan? = nil,
                isRemote: Bool = false, isTerminating: Bool = true) {
        self.message = message
        self.category = category
        self.reason = reason
        self.errorId = errorId
        self.activity = activity
        self.targetName = targetName
        self.span = span
        self.isRemote = isRemote
        self.isTerminating = isTerminating
    }

    public var description: String { message }

    // MARK: Exchange's errors

    /// The server name Exchange Online names in "couldn't be found on" messages.
    public static let exchangeServer = "AM6PR04A02DC001.EURPR04A002.PROD.OUTLOOK.COM"

    /// `The operation couldn't be performed because object 'X' couldn't be found on '...'.`
    public static func objectNotFound(_ identity: String, cmdlet: String) -> ShellError {
        exchange("The operation couldn't be performed because object '\(identity)' couldn't be found on '\(exchangeServer)'.",
                 category: .NotSpecified, exception: "ManagementObjectNotFoundException", cmdlet: cmdlet, target: identity)
    }

    /// `The operation couldn't be performed because 'X' matches multiple entries.`
    public static func ambiguousIdentity(_ identity: String, cmdlet: String) -> ShellError {
        exchange("The operation couldn't be performed because '\(identity)' matches multiple entries.",
                 category: .NotSpecified, exception: "ManagementObjectAmbiguousException", cmdlet: cmdlet, target: identity)
    }

    /// An error raised by an Exchange cmdlet on the service side, shaped as a remote error:
    /// `[FailureCategory=Cmdlet-<Exception>] <hash>,Microsoft.Exchange...<Task>`.
    public static func exchange(_ message: String, category: ErrorCategory = .NotSpecified, exception: String,
                                cmdlet: String, target: String = "") -> ShellError {
        let task = cmdlet.replacingOccurrences(of: "-", with: "")
        let hash = String(UInt32(truncatingIfNeeded: (message + cmdlet).hashValueStable), radix: 16, uppercase: true)
        return ShellError(
            message: message, category: category, reason: exception,
            errorId: "[Server=\(exchangeServer.prefix(13)),RequestId=00000000-0000-0000-0000-000000000000,TimeStamp=0] [FailureCategory=Cmdlet-\(exception)] \(hash),Microsoft.Exchange.Management.Tasks.\(task)",
            activity: cmdlet, targetName: target, isRemote: true, isTerminating: false)
    }
}

extension String {
    /// A hash that is the same on every run (Swift's hashValue is seeded per process).
    var hashValueStable: UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return h
    }
}
