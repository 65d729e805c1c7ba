import AuditLog
import Foundation

/// An error a route answers with. Each API family renders it in its own real shape:
/// Graph's `{"error":{"code","message","innerError"}}`, the admin API's nested
/// `details`/`innererror`, the Management Activity API's `AFxxxxx` codes, and the identity
/// platform's OAuth error with its AADSTS code.
public struct APIError: Error, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    public var headers: [(name: String, value: String)] = []
    /// The identity platform's numeric AADSTS codes (`error_codes`).
    public var errorCodes: [Int] = []
    /// Extra members of the identity platform's body (`suberror`, `claims`).
    public var extra: [(String, JSONValue)] = []

    public init(status: Int, code: String, message: String, headers: [(name: String, value: String)] = [],
                errorCodes: [Int] = [], extra: [(String, JSONValue)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.errorCodes = errorCodes
        self.extra = extra
    }

    // MARK: Common cases, per family

    /// Graph's 400 for a body that is not JSON.
    static func badRequest(_ message: String, code: String = "BadRequest") -> APIError {
        APIError(status: 400, code: code, message: message)
    }

    static func notFound(_ message: String, code: String = "Request_ResourceNotFound") -> APIError {
        APIError(status: 404, code: code, message: message)
    }

    /// Graph's answer to a caller without the permission.
    static let insufficientPrivileges = APIError(status: 403, code: "Authorization_RequestDenied",
                                                 message: "Insufficient privileges to complete the operation.")
}

/// Renders `APIError`s per family; every one carries the request id the journal shows.
enum ErrorRenderer {
    static func render(_ error: APIError, family: APIFamily, requestId: String, clientRequestId: String?, now: Date) -> SimResponse {
        var headers = error.headers
        headers.append(("request-id", requestId))
        switch family {
        case .graph:
            if let c = clientRequestId { headers.append(("client-request-id", c)) }
            let body: JSONValue = .object([
                "error": .object([
                    "code": .string(error.code),
                    "message": .string(error.message),
                    "innerError": .object([
                        "date": .string(WireDate.iso(now)),
                        "request-id": .string(requestId),
                        "client-request-id": .string(clientRequestId ?? requestId),
                    ]),
                ]),
            ])
            return .json(body, status: error.status, headers: headers)
        case .adminAPI:
            // [EXCHANGE-FACTS 7] the human-readable Exchange error sits in details[].message and
            // innererror.internalException.message as well as message.
            let body: JSONValue = .object([
                "error": .object([
                    "code": .string(error.code),
                    "message": .string(error.message),
                    "details": .array([.object(["message": .string(error.message)])]),
                    "innererror": .object([
                        "message": .string(error.message),
                        "type": .string("Microsoft.Exchange.Admin.OData.Core.ODataServiceException"),
                        "internalException": .object(["message": .string(error.message), "type": .string(error.code)]),
                    ]),
                ]),
            ])
            return .json(body, status: error.status, headers: headers)
        case .management:
            let body: JSONValue = .object(["error": .object(["code": .string(error.code), "message": .string(error.message)])])
            return .json(body, status: error.status, headers: headers)
        case .identity:
            let traceId = requestId
            let correlationId = clientRequestId ?? UUID().uuidString.lowercased()
            let stamp = IdentityTime.timestamp(now)
            var description = error.message
            if let code = error.errorCodes.first, !description.hasPrefix("AADSTS") { description = "AADSTS\(code): \(description)" }
            // [Token Issuance Endpoint Errors] the description ends with CRLF-separated trace lines.
            description += "\r\nTrace ID: \(traceId)\r\nCorrelation ID: \(correlationId)\r\nTimestamp: \(stamp)"
            var body: JSONObject = [
                "error": .string(error.code),
                "error_description": .string(description),
                "error_codes": .array(error.errorCodes.map(JSONValue.int)),
                "timestamp": .string(stamp),
                "trace_id": .string(traceId),
                "correlation_id": .string(correlationId),
            ]
            if let code = error.errorCodes.first { body["error_uri"] = .string("https://login.microsoftonline.com/error?code=\(code)") }
            for (k, v) in error.extra { body[k] = v }
            headers.append(("Cache-Control", "no-store, no-cache"))
            headers.append(("Pragma", "no-cache"))
            headers.append(("x-ms-request-id", traceId))
            return .json(.object(body), status: error.status, headers: headers)
        case .control, .meta:
            // The control plane adds where the problem is (`file`, `line`, `column`, `valid`...).
            var inner: JSONObject = ["code": .string(error.code), "message": .string(error.message)]
            for (k, v) in error.extra { inner[k] = v }
            return .json(.object(["error": .object(inner)]), status: error.status, headers: headers)
        }
    }
}

/// The identity platform writes error timestamps as `2026-11-29 15:04:05Z`.
enum IdentityTime {
    static func timestamp(_ date: Date) -> String {
        WireDate.iso(date).replacingOccurrences(of: "T", with: " ")
    }
}
