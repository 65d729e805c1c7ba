import AuditLog
import Crypto
import Foundation
import Synchronization

/// Who a request runs as: the claims of the bearer token the simulator issued.
public struct Principal: Sendable, Hashable {
    public var tenantId: UUID
    /// The user's object id, or the app's service principal id for app-only tokens.
    public var objectId: String
    /// The user's UPN; nil for app-only tokens.
    public var userPrincipalName: String?
    /// The client application (`appid`).
    public var appId: String
    public var audience: String
    /// Delegated scopes (`scp`), space-separated in the token.
    public var scopes: [String]
    /// Application permissions (`roles`) of an app-only token.
    public var roles: [String]
    public var issuedAt: Date
    public var expires: Date

    public var isAppOnly: Bool { userPrincipalName == nil }

    /// True when the caller holds any of `permissions`: app roles for app-only tokens,
    /// scopes for delegated ones (`.default` grants what the app was consented for).
    func holds(any permissions: [String]) -> Bool {
        if permissions.isEmpty { return true }
        let held = Set((isAppOnly ? roles : scopes).map { $0.lowercased() })
        return permissions.contains { held.contains($0.lowercased()) }
    }
}

/// Signs and verifies the simulator's access tokens: compact JWS with HS256 under a key the
/// server holds (`--signing-key`, or random per process). Real Entra tokens are RS256 with a
/// published key set; clients never validate access tokens meant for Microsoft's APIs, so
/// the algorithm is invisible to them (Docs/fidelity.md).
public struct TokenSigner: @unchecked Sendable {
    // SymmetricKey is immutable after creation.
    let key: SymmetricKey
    /// Tokens already verified: a client sends the same token on every request, and checking
    /// the signature and parsing the claims each time was half the cost of a small request.
    private let verified = VerifiedTokens()
    public static let keyId = "tenantsim-hs256"

    public init(secret: String?) {
        if let secret, !secret.isEmpty {
            key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
        } else {
            key = SymmetricKey(size: .bits256)
        }
    }

    /// The token of `principal` with the claims Entra's v1 access tokens carry.
    public func issue(_ principal: Principal) -> String {
        let header: JSONValue = .object(["typ": "JWT", "alg": "HS256", "kid": .string(Self.keyId)])
        var claims: JSONObject = [
            "aud": .string(principal.audience),
            "iss": .string("https://sts.windows.net/\(principal.tenantId.uuidString.lowercased())/"),
            "iat": .int(Int(principal.issuedAt.timeIntervalSince1970)),
            "nbf": .int(Int(principal.issuedAt.timeIntervalSince1970)),
            "exp": .int(Int(principal.expires.timeIntervalSince1970)),
            "appid": .string(principal.appId),
            "idtyp": .string(principal.isAppOnly ? "app" : "user"),
            "oid": .string(principal.objectId),
            "tid": .string(principal.tenantId.uuidString.lowercased()),
            "ver": "1.0",
        ]
        if let upn = principal.userPrincipalName {
            claims["upn"] = .string(upn)
            claims["unique_name"] = .string(upn)
            claims["scp"] = .string(principal.scopes.joined(separator: " "))
        } else {
            claims["roles"] = .array(principal.roles.map(JSONValue.string))
        }
        let signingInput = Base64URL.encode(Data(WireJSON.text(header).utf8)) + "." + Base64URL.encode(Data(WireJSON.text(.object(claims)).utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Data(mac))
    }

    public enum Failure: Error, Equatable {
        case malformed, badSignature
    }

    /// The principal of a token this signer issued; nil claims are refused as malformed.
    /// Expiry is the caller's check (it depends on the tenant's clock).
    public func verify(_ token: String) throws(Failure) -> Principal {
        if let known = verified.lookup(token) { return known }
        let principal = try verifyUncached(token)
        verified.store(token, principal)
        return principal
    }

    func verifyUncached(_ token: String) throws(Failure) -> Principal {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let mac = Base64URL.decode(String(parts[2])),
              let payload = Base64URL.decode(String(parts[1])) else { throw .malformed }
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signingInput, using: key) else { throw .badSignature }
        guard let text = String(data: payload, encoding: .utf8), let claims = (try? JSONValue.parse(text))?.objectValue,
              let tid = claims["tid"]?.stringValue.flatMap(UUID.init(uuidString:)),
              let oid = claims["oid"]?.stringValue, let aud = claims["aud"]?.stringValue,
              let iat = claims["iat"]?.intValue, let exp = claims["exp"]?.intValue else { throw .malformed }
        return Principal(tenantId: tid, objectId: oid, userPrincipalName: claims["upn"]?.stringValue,
                         appId: claims["appid"]?.stringValue ?? "", audience: aud,
                         scopes: (claims["scp"]?.stringValue ?? "").split(separator: " ").map(String.init),
                         roles: claims["roles"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                         issuedAt: Date(timeIntervalSince1970: TimeInterval(iat)), expires: Date(timeIntervalSince1970: TimeInterval(exp)))
    }
}

enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// A bounded cache of verified tokens (cleared when full; tokens are immutable, so a cached
/// principal is exactly what verifying again would give).
final class VerifiedTokens: Sendable {
    static let capacity = 4_096
    private let entries = Mutex<[String: Principal]>([:])

    func lookup(_ token: String) -> Principal? { entries.withLock { $0[token] } }

    func store(_ token: String, _ principal: Principal) {
        entries.withLock { e in
            if e.count >= Self.capacity { e.removeAll(keepingCapacity: true) }
            e[token] = principal
        }
    }
}
