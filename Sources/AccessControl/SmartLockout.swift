import Foundation
import TenantModel

/// Entra ID smart lockout with its default settings, counted on the simulated clock.
///
/// - The account locks after 10 failed sign-ins (Azure Public and 21Vianet tenants; 3 in
///   Azure US Government), for one minute at first. [ENTRA howto-password-smart-lockout.md,
///   "How smart lockout works"]
/// - After that it locks again on each further failed sign-in, for longer each time; Microsoft
///   doesn't disclose the rate. The simulator doubles the period per lockout, up to an hour.
/// - Smart lockout remembers the hashes of the last three bad passwords: repeating one of
///   them doesn't count again. [same page]
/// - A locked account is refused with AADSTS50053 (IdsLocked) whatever the password.
/// - A successful sign-in resets the count.
///
/// Not simulated: familiar versus unfamiliar locations (one counter per account) and
/// per-datacenter counting.
public enum SmartLockout {
    /// Lockout threshold: failed sign-ins before the first lockout.
    public static let threshold = 10
    /// Lockout duration in seconds: the first lockout's length.
    public static let firstLockoutDuration: TimeInterval = 60
    /// The longest lockout the simulator imposes (the real growth is undisclosed).
    public static let longestLockoutDuration: TimeInterval = 3600
    /// How many recent bad passwords are remembered.
    public static let rememberedBadPasswords = 3

    /// The length of the next lockout after `lockouts` earlier ones: 60 s, 120 s, 240 s, ...
    public static func lockoutDuration(afterLockouts lockouts: Int) -> TimeInterval {
        min(firstLockoutDuration * Double(1 << min(max(lockouts, 0), 16)), longestLockoutDuration)
    }

    /// Whether the account is locked at `now`.
    public static func isLocked(_ user: User, at now: Date) -> Bool {
        guard let until = user.lockedUntil else { return false }
        return until > now
    }

    /// What a wrong password does: nothing when it's one of the last three bad passwords;
    /// otherwise one more failure counted, and a lockout once the threshold is reached.
    public static func failure(_ user: User, password: String, at now: Date) -> (change: TenantChange?, locksAccount: Bool) {
        let hash = passwordHash(password)
        if user.recentBadPasswordHashes.contains(hash) { return (nil, false) }
        var remembered = user.recentBadPasswordHashes
        remembered.append(hash)
        if remembered.count > rememberedBadPasswords { remembered.removeFirst(remembered.count - rememberedBadPasswords) }
        let failed = user.failedSignInCount + 1
        var lockedUntil = user.lockedUntil
        var lockouts = user.lockoutCount
        let locks = failed >= threshold
        if locks {
            lockedUntil = now.addingTimeInterval(lockoutDuration(afterLockouts: lockouts))
            lockouts += 1
        }
        return (.signInCounters(user: user.objectId, failedSignInCount: failed, lockedUntil: lockedUntil,
                                lockoutCount: lockouts, badPasswordHashes: remembered), locks)
    }

    /// What a good credential does: the counters go back to zero (no change if they are).
    public static func success(_ user: User) -> TenantChange? {
        guard user.failedSignInCount != 0 || user.lockedUntil != nil || user.lockoutCount != 0
                || !user.recentBadPasswordHashes.isEmpty else { return nil }
        return .signInCounters(user: user.objectId, failedSignInCount: 0, lockedUntil: nil, lockoutCount: 0, badPasswordHashes: [])
    }

    /// A stable 64-bit FNV-1a hash of the password: the same in every run, so scenarios
    /// replay identically (Swift's `Hasher` is seeded per process).
    public static func passwordHash(_ password: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in password.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
