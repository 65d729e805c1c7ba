import Foundation

/// An Outlook on the web mailbox policy (`Get/New/Set-OwaMailboxPolicy`). Exchange Online
/// tenants have the built-in "OwaMailboxPolicy-Default" (IsDefault True); new policies start
/// with the same defaults. [EXCHANGE-FACTS 3.2; OPS Set-OwaMailboxPolicy]
public struct OwaMailboxPolicy: SchemaObject, Hashable {
    public var name: String
    /// In Exchange Online the CAS mailbox plan of each license overrides which policy new
    /// mailboxes get. [OPS Set-OwaMailboxPolicy]
    public var isDefault = false
    public var guid: UUID
    public var whenCreated: Date
    public var whenChanged: Date

    public var classicAttachmentsEnabled = true
    public var referenceAttachmentsEnabled = true
    public var saveAttachmentsToCloudEnabled = true
    public var directFileAccessOnPublicComputersEnabled = true
    public var directFileAccessOnPrivateComputersEnabled = true
    public var wacViewingOnPublicComputersEnabled = true
    public var wacViewingOnPrivateComputersEnabled = true
    public var forceWacViewingFirstOnPublicComputers = false
    public var forceWacViewingFirstOnPrivateComputers = false
    /// Allow in Exchange Online (the on-premises code defaults to ForceSave). [OPS Set-OwaMailboxPolicy]
    public var actionForUnknownFileAndMIMETypes: AttachmentBlockingActions = .Allow
    public var allowedFileTypes = OwaMailboxPolicy.defaultAllowedFileTypes
    public var allowedMimeTypes = OwaMailboxPolicy.defaultAllowedMimeTypes
    public var forceSaveFileTypes = OwaMailboxPolicy.defaultForceSaveFileTypes
    public var forceSaveMimeTypes = OwaMailboxPolicy.defaultForceSaveMimeTypes
    public var blockedFileTypes = OwaMailboxPolicy.defaultBlockedFileTypes
    public var blockedMimeTypes = OwaMailboxPolicy.defaultBlockedMimeTypes
    /// Blank ($null) by default; not checked against the installed themes. [OPS Set-OwaMailboxPolicy]
    public var defaultTheme: String? = nil
    /// An LCID; 0 means undefined. [OPS Set-OwaMailboxPolicy]
    public var logonAndErrorLanguage = 0
    public var useGB18030 = false
    public var useISO885915 = false
    public var outboundCharset: OutboundCharsetOptions = .AutoDetect
    public var globalAddressListEnabled = true
    public var organizationEnabled = true
    public var explicitLogonEnabled = true
    /// Enabling a ConditionalAccessPolicy makes OWA light unavailable. [OPS Set-OwaMailboxPolicy]
    public var owaLightEnabled = true
    public var delegateAccessEnabled = true
    public var irmEnabled = true
    public var calendarEnabled = true
    public var contactsEnabled = true
    public var tasksEnabled = true
    public var journalEnabled = true
    public var notesEnabled = true
    public var remindersAndNotificationsEnabled = true
    public var premiumClientEnabled = true
    public var spellCheckerEnabled = true
    public var searchFoldersEnabled = true
    public var signaturesEnabled = true
    public var themeSelectionEnabled = true
    public var umIntegrationEnabled = true
    /// The page documents True as the on-premises default; the cloud value is UNCONFIRMED.
    public var changePasswordEnabled = true
    public var activeSyncIntegrationEnabled = true
    public var allAddressListsEnabled = true
    public var rulesEnabled = true
    public var publicFoldersEnabled = true
    public var recoverDeletedItemsEnabled = true
    public var instantMessagingEnabled = true
    public var textMessagingEnabled = true
    public var forceSaveAttachmentFilteringEnabled = false
    public var displayPhotosEnabled = true
    public var setPhotoEnabled = true
    /// Functional only on premises; Exchange Online treats every session as private. [OPS Set-OwaMailboxPolicy]
    public var allowOfflineOn: AllowOfflineOnEnum = .AllComputers
    public var placesEnabled = true
    public var weatherEnabled = true
    public var allowCopyContactsToDeviceAddressBook = true
    public var wacExternalServicesEnabled = true
    public var wacOMEXEnabled = false
    public var reportJunkEmailEnabled = true
    public var groupCreationEnabled = true
    public var skipCreateUnifiedGroupCustomSharepointClassification = true
    public var webPartsFrameOptionsType: WebPartsFrameOptions = .SameOrigin
    public var additionalStorageProvidersAvailable = true
    public var attachmentsOfflineEnabledWin = true
    public var changeSettingsAccountEnabled = true
    /// Off, ReadOnly or ReadOnlyPlusAttachmentsBlocked; needs a matching Entra Conditional
    /// Access policy to take effect. [OPS Set-OwaMailboxPolicy]
    public var conditionalAccessPolicy: PolicyEnum = .Off
    public var externalImageProxyEnabled = true
    public var feedbackEnabled = true
    public var hideClassicOutlookToggleOut = false
    public var interestingCalendarsEnabled = true
    public var itemsToOtherAccountsEnabled = false
    public var localEventsEnabled = false
    public var npsSurveysEnabled = true
    public var offlineEnabledWeb = true
    public var offlineEnabledWin = true
    public var oneWinNativeOutlookEnabled = true
    public var onSendAddinsEnabled = false
    public var outlookBetaToggleEnabled = true
    public var outlookDataFile: OutlookDataFileFeatureState = .Allow
    public var personalAccountCalendarsEnabled = true
    public var personalAccountsEnabled = true
    public var printWithoutDownloadEnabled = true
    public var projectMocaEnabled = false
    public var satisfactionEnabled = true
    public var teamSnapCalendarsEnabled = true
    public var userVoiceEnabled = true
    public var wacEditingEnabled = true

    /// A new policy as `New-OwaMailboxPolicy -Name` creates it: all defaults, IsDefault False.
    public init(name: String, guid: UUID, created: Date) {
        self.name = name
        self.guid = guid
        self.whenCreated = created
        self.whenChanged = created
    }

    /// The built-in policy of an Exchange Online tenant. [OPS Set-OwaMailboxPolicy]
    public static func builtInDefault(guid: UUID, created: Date) -> OwaMailboxPolicy {
        var policy = OwaMailboxPolicy(name: "OwaMailboxPolicy-Default", guid: guid, created: created)
        policy.isDefault = true
        return policy
    }

    // The default lists, as [OPS Set-OwaMailboxPolicy] gives them for Exchange Online (the
    // on-premises code's lists differ, e.g. they block .xml).

    public static let defaultAllowedFileTypes = [
        ".avi", ".bmp", ".doc", ".docm", ".docx", ".gif", ".jpg", ".mp3", ".one", ".pdf", ".png",
        ".ppsm", ".ppsx", ".ppt", ".pptm", ".pptx", ".pub", ".rpmsg", ".rtf", ".tif", ".tiff", ".txt",
        ".vsd", ".wav", ".wma", ".wmv", ".xls", ".xlsb", ".xlsm", ".xlsx", ".zip",
    ]

    public static let defaultAllowedMimeTypes = ["image/bmp", "image/gif", "image/jpeg", "image/png"]

    public static let defaultForceSaveFileTypes = [
        ".ade", ".adp", ".app", ".asp", ".aspx", ".asx", ".bas", ".bat", ".cer", ".chm", ".cmd", ".com",
        ".cpl", ".crt", ".csh", ".dcr", ".dir", ".exe", ".fxp", ".gadget", ".hlp", ".hta", ".htm", ".html",
        ".inf", ".ins", ".isp", ".its", ".js", ".jse", ".ksh", ".lnk", ".mad", ".maf", ".mag", ".mam",
        ".maq", ".mar", ".mas", ".mat", ".mau", ".mav", ".maw", ".mda", ".mdb", ".mde", ".mdt", ".mdw",
        ".mdz", ".msc", ".msh", ".mshxml", ".msi", ".msp", ".mst", ".ops", ".pcd", ".pif", ".plg", ".prf",
        ".prg", ".ps1", ".ps1xml", ".ps2", ".ps2xml", ".psc1", ".psc2", ".pst", ".reg", ".scf", ".scr",
        ".sct", ".shb", ".shs", ".spl", ".swf", ".tmp", ".url", ".vb", ".vbe", ".vbs", ".vsmacro", ".vss",
        ".vst", ".vsw", ".ws", ".wsc", ".wsf", ".wsh",
    ]

    public static let defaultForceSaveMimeTypes = [
        "Application/futuresplash", "Application/octet-stream", "Application/x-director",
        "Application/x-shockwave-flash", "text/html",
    ]

    public static let defaultBlockedFileTypes = [
        ".ade", ".adp", ".apk", ".app", ".appcontent-ms", ".application", ".appref-ms", ".appx", ".asp",
        ".aspx", ".asx", ".bas", ".bat", ".bgi", ".cab", ".cdxml", ".cer", ".chm", ".cmd", ".cnt", ".com",
        ".cpl", ".crt", ".csh", ".der", ".diagcab", ".exe", ".fxp", ".gadget", ".grp", ".hlp", ".hpj",
        ".hta", ".htc", ".img", ".inf", ".ins", ".iso", ".isp", ".its", ".jar", ".jnlp", ".js", ".jse",
        ".ksh", ".library-ms", ".lnk", ".mad", ".maf", ".mag", ".mam", ".maq", ".mar", ".mas", ".mat",
        ".mau", ".mav", ".maw", ".mcf", ".mda", ".mdb", ".mde", ".mdt", ".mdw", ".mdz", ".mht", ".mhtml",
        ".msc", ".msh", ".msh1", ".msh1xml", ".msh2", ".msh2xml", ".mshxml", ".msi", ".msp", ".mst", ".msu",
        ".ops", ".osd", ".pcd", ".pif", ".pl", ".plg", ".prf", ".prg", ".printerexport", ".ps1", ".ps1xml",
        ".ps2", ".ps2xml", ".psc1", ".psc2", ".psd1", ".psdm1", ".pssc", ".pst", ".py", ".pyc", ".pyo",
        ".pyw", ".pyz", ".pyzw", ".reg", ".scf", ".scr", ".sct", ".search-ms", ".settingcontent-ms", ".shb",
        ".shs", ".theme", ".tmp", ".udl", ".url", ".vb", ".vbe", ".vbp", ".vbs", ".vhd", ".vhdx",
        ".vsmacros", ".vsw", ".webpnp", ".website", ".ws", ".wsb", ".wsc", ".wsf", ".wsh", ".xbap", ".xll",
        ".xnk",
    ]

    public static let defaultBlockedMimeTypes = [
        "application/hta", "application/javascript", "application/msaccess", "application/prg",
        "application/x-javascript", "text/javascript", "text/scriplet", "x-internet-signup",
    ]

    /// At most 64 characters. [OPS Set-OwaMailboxPolicy]
    static let nameLength: @Sendable (String?) -> String? = maxLength(64)

    /// The properties of the OwaMailboxPolicy class in its declaration order, the order
    /// `Format-List` shows them [EXSRC OwaMailboxPolicy, Exchange 2013]; the three attachment
    /// settings added in Exchange 2016 lead and the cloud-only settings follow
    /// WebPartsFrameOptionsType alphabetically (both placements UNCONFIRMED); the common
    /// directory properties close the list.
    public static let schema = ObjectSchema<OwaMailboxPolicy>("OwaMailboxPolicy", [
        .init("ClassicAttachmentsEnabled", \.classicAttachmentsEnabled),
        .init("ReferenceAttachmentsEnabled", \.referenceAttachmentsEnabled),
        .init("SaveAttachmentsToCloudEnabled", \.saveAttachmentsToCloudEnabled),
        .init("DirectFileAccessOnPublicComputersEnabled", \.directFileAccessOnPublicComputersEnabled),
        .init("DirectFileAccessOnPrivateComputersEnabled", \.directFileAccessOnPrivateComputersEnabled),
        .init("WacViewingOnPublicComputersEnabled", \.wacViewingOnPublicComputersEnabled),
        .init("WacViewingOnPrivateComputersEnabled", \.wacViewingOnPrivateComputersEnabled),
        .init("ForceWacViewingFirstOnPublicComputers", \.forceWacViewingFirstOnPublicComputers),
        .init("ForceWacViewingFirstOnPrivateComputers", \.forceWacViewingFirstOnPrivateComputers),
        .init("ActionForUnknownFileAndMIMETypes", \.actionForUnknownFileAndMIMETypes),
        .init("AllowedFileTypes", \.allowedFileTypes),
        .init("AllowedMimeTypes", \.allowedMimeTypes),
        .init("ForceSaveFileTypes", \.forceSaveFileTypes),
        .init("ForceSaveMimeTypes", \.forceSaveMimeTypes),
        .init("BlockedFileTypes", \.blockedFileTypes),
        .init("BlockedMimeTypes", \.blockedMimeTypes),
        .init("DefaultTheme", \.defaultTheme),
        .init("IsDefault", \.isDefault),
        .init("LogonAndErrorLanguage", \.logonAndErrorLanguage),
        .init("UseGB18030", \.useGB18030),
        .init("UseISO885915", \.useISO885915),
        .init("OutboundCharset", \.outboundCharset),
        .init("GlobalAddressListEnabled", \.globalAddressListEnabled),
        .init("OrganizationEnabled", \.organizationEnabled),
        .init("ExplicitLogonEnabled", \.explicitLogonEnabled),
        .init("OWALightEnabled", \.owaLightEnabled),
        .init("DelegateAccessEnabled", \.delegateAccessEnabled),
        .init("IRMEnabled", \.irmEnabled),
        .init("CalendarEnabled", \.calendarEnabled),
        .init("ContactsEnabled", \.contactsEnabled),
        .init("TasksEnabled", \.tasksEnabled),
        .init("JournalEnabled", \.journalEnabled),
        .init("NotesEnabled", \.notesEnabled),
        .init("RemindersAndNotificationsEnabled", \.remindersAndNotificationsEnabled),
        .init("PremiumClientEnabled", \.premiumClientEnabled),
        .init("SpellCheckerEnabled", \.spellCheckerEnabled),
        .init("SearchFoldersEnabled", \.searchFoldersEnabled),
        .init("SignaturesEnabled", \.signaturesEnabled),
        .init("ThemeSelectionEnabled", \.themeSelectionEnabled),
        .init("UMIntegrationEnabled", \.umIntegrationEnabled),
        .init("ChangePasswordEnabled", \.changePasswordEnabled),
        .init("ActiveSyncIntegrationEnabled", \.activeSyncIntegrationEnabled),
        .init("AllAddressListsEnabled", \.allAddressListsEnabled),
        .init("RulesEnabled", \.rulesEnabled),
        .init("PublicFoldersEnabled", \.publicFoldersEnabled),
        .init("RecoverDeletedItemsEnabled", \.recoverDeletedItemsEnabled),
        .init("InstantMessagingEnabled", \.instantMessagingEnabled),
        .init("TextMessagingEnabled", \.textMessagingEnabled),
        .init("ForceSaveAttachmentFilteringEnabled", \.forceSaveAttachmentFilteringEnabled),
        .init("DisplayPhotosEnabled", \.displayPhotosEnabled),
        .init("SetPhotoEnabled", \.setPhotoEnabled),
        .init("AllowOfflineOn", \.allowOfflineOn),
        .init("PlacesEnabled", \.placesEnabled),
        .init("WeatherEnabled", \.weatherEnabled),
        .init("AllowCopyContactsToDeviceAddressBook", \.allowCopyContactsToDeviceAddressBook),
        .init("WacExternalServicesEnabled", \.wacExternalServicesEnabled),
        .init("WacOMEXEnabled", \.wacOMEXEnabled),
        .init("ReportJunkEmailEnabled", \.reportJunkEmailEnabled),
        .init("GroupCreationEnabled", \.groupCreationEnabled),
        .init("SkipCreateUnifiedGroupCustomSharepointClassification", \.skipCreateUnifiedGroupCustomSharepointClassification),
        .init("WebPartsFrameOptionsType", \.webPartsFrameOptionsType),
        .init("AdditionalStorageProvidersAvailable", \.additionalStorageProvidersAvailable),
        .init("AttachmentsOfflineEnabledWin", \.attachmentsOfflineEnabledWin),
        .init("ChangeSettingsAccountEnabled", \.changeSettingsAccountEnabled),
        .init("ConditionalAccessPolicy", \.conditionalAccessPolicy),
        .init("ExternalImageProxyEnabled", \.externalImageProxyEnabled),
        .init("FeedbackEnabled", \.feedbackEnabled),
        .init("HideClassicOutlookToggleOut", \.hideClassicOutlookToggleOut),
        .init("InterestingCalendarsEnabled", \.interestingCalendarsEnabled),
        .init("ItemsToOtherAccountsEnabled", \.itemsToOtherAccountsEnabled),
        .init("LocalEventsEnabled", \.localEventsEnabled),
        .init("NpsSurveysEnabled", \.npsSurveysEnabled),
        .init("OfflineEnabledWeb", \.offlineEnabledWeb),
        .init("OfflineEnabledWin", \.offlineEnabledWin),
        .init("OneWinNativeOutlookEnabled", \.oneWinNativeOutlookEnabled),
        .init("OnSendAddinsEnabled", \.onSendAddinsEnabled),
        .init("OutlookBetaToggleEnabled", \.outlookBetaToggleEnabled),
        .init("OutlookDataFile", \.outlookDataFile),
        .init("PersonalAccountCalendarsEnabled", \.personalAccountCalendarsEnabled),
        .init("PersonalAccountsEnabled", \.personalAccountsEnabled),
        .init("PrintWithoutDownloadEnabled", \.printWithoutDownloadEnabled),
        .init("ProjectMocaEnabled", \.projectMocaEnabled),
        .init("SatisfactionEnabled", \.satisfactionEnabled),
        .init("TeamSnapCalendarsEnabled", \.teamSnapCalendarsEnabled),
        .init("UserVoiceEnabled", \.userVoiceEnabled),
        .init("WacEditingEnabled", \.wacEditingEnabled),
        .init("Name", \.name, validate: { nameLength($0) }),
        .init(computed: "Identity", \.name),
        .init(readOnly: "Guid", \.guid),
        .init(readOnly: "WhenChanged", \.whenChanged),
        .init(readOnly: "WhenCreated", \.whenCreated),
    ])
}
