import Foundation

/// An Entra ID app registration with application permissions: what a daemon or script
/// signs in as with the OAuth2 client credentials grant (client_id + client_secret), and
/// the roles its token carries. Fixtures declare them in `applications:`; the REST server
/// is the front end that issues their tokens.
public struct AppRegistration: SchemaObject, Hashable {
    /// The app's name in the portal; the key of the fixture list.
    public var displayName: String
    /// The application (client) ID the client sends as `client_id`.
    public var appId: UUID
    /// The client secret the client sends as `client_secret`. Empty: the app has no secret
    /// (a public client), so the client credentials grant cannot succeed for it.
    public var clientSecret = ""
    /// The application permissions granted and admin-consented (`User.Read.All`,
    /// `Exchange.ManageAsApp`, …): the `roles` claim of the app's tokens.
    public var roles: [String] = []
    /// False: the app's service principal is disabled and it cannot get a token.
    public var enabled = true

    public init(displayName: String, appId: UUID) {
        self.displayName = displayName
        self.appId = appId
    }

    public static let schema = ObjectSchema<AppRegistration>("AppRegistration", [
        .init(readOnly: "DisplayName", \.displayName),
        .init(readOnly: "AppId", \.appId),
        .init("ClientSecret", \.clientSecret),
        .init("Roles", \.roles),
        .init("Enabled", \.enabled),
    ])
}
