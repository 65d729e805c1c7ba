import AuditLog
import Foundation
import TenantModel

/// The Entra ID audit events of a change to a user made with MSOnline cmdlets. Disabling
/// per-user MFA writes three records — "Update user.", "Disable Strong Authentication." and
/// "Delete application password for user." — as the golden records of a real tenant show
/// (shared/golden, t1556 samples).
enum DirectoryAuditing {
    static func events(before: User, after: User, actor: String, time: Date) -> [DirectoryChangeEvent] {
        var changed: [ModifiedProperty] = []
        if before.strongAuthenticationState != after.strongAuthenticationState {
            changed.append(ModifiedProperty(name: "StrongAuthenticationRequirement",
                                            oldValue: requirementJSON(before), newValue: requirementJSON(after)))
        }
        if before.blockCredential != after.blockCredential {
            changed.append(ModifiedProperty(name: "AccountEnabled", oldValue: "[\r\n  \(before.accountEnabled)\r\n]",
                                            newValue: "[\r\n  \(after.accountEnabled)\r\n]"))
        }
        for (name, old, new) in [("DisplayName", before.displayName, after.displayName)] where old != new {
            changed.append(ModifiedProperty(name: name, oldValue: "[\r\n  \"\(old)\"\r\n]", newValue: "[\r\n  \"\(new)\"\r\n]"))
        }
        guard !changed.isEmpty || before != after else { return [] }
        var events = [DirectoryChangeEvent(time: time, operation: "Update user.", actor: actor,
                                           targetUserPrincipalName: after.userPrincipalName, targetObjectId: after.objectId,
                                           modifiedProperties: changed)]
        let mfa = changed.filter { $0.name == "StrongAuthenticationRequirement" }
        if before.strongAuthenticationState != .Disabled, after.strongAuthenticationState == .Disabled {
            events.append(DirectoryChangeEvent(time: time, operation: "Disable Strong Authentication.", actor: actor,
                                               targetUserPrincipalName: after.userPrincipalName, targetObjectId: after.objectId,
                                               modifiedProperties: mfa))
        } else if before.strongAuthenticationState == .Disabled, after.strongAuthenticationState != .Disabled {
            events.append(DirectoryChangeEvent(time: time, operation: "Enable Strong Authentication.", actor: actor,
                                               targetUserPrincipalName: after.userPrincipalName, targetObjectId: after.objectId,
                                               modifiedProperties: mfa))
        }
        if !before.appPasswords.isEmpty, after.appPasswords.isEmpty {
            events.append(DirectoryChangeEvent(time: time, operation: "Delete application password for user.", actor: actor,
                                               targetUserPrincipalName: after.userPrincipalName, targetObjectId: after.objectId,
                                               modifiedProperties: []))
        }
        return events
    }

    /// The StrongAuthenticationRequirement value as Entra writes it in ModifiedProperties
    /// (State 0 Enabled, 1 Enforced; an empty list when Disabled).
    static func requirementJSON(_ user: User) -> String {
        guard user.strongAuthenticationState != .Disabled else { return "[]" }
        let state = user.strongAuthenticationState == .Enforced ? 1 : 0
        let since = ISO8601.format(user.lastPasswordChange ?? user.whenCreated).dropLast() + "+00:00"
        return "[\r\n  {\r\n    \"RelyingParty\": \"*\",\r\n    \"State\": \(state),\r\n    \"RememberDevicesNotIssuedBefore\": \"\(since)\"\r\n  }\r\n]"
    }
}
