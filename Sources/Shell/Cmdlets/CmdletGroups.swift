/// The cmdlet groups that make up the standard registry. Add a group here when you add a
/// file of cmdlets.
enum CmdletGroups {
    static var all: [[CmdletDefinition]] {
        [
            ClientAccessRuleCmdlets.definitions,
            OrganizationCmdlets.definitions,
            InboxRuleCmdlets.definitions,
            MailboxPermissionCmdlets.definitions,
            MsolCmdlets.definitions,
            SessionCmdlets.definitions,
            HelpCmdlets.definitions,
            AuditCmdlets.definitions,
            SimCmdlets.definitions,
            MailboxCmdlets.definitions,
            CASMailboxCmdlets.definitions,
            MobileDeviceCmdlets.definitions,
            MobilePolicyCmdlets.definitions,
            OwaPolicyCmdlets.definitions,
            DeviceAccessRuleCmdlets.definitions,
            ActiveSyncOrganizationCmdlets.definitions,
            UtilityCmdlets.definitions,
            OutputCmdlets.definitions,
        ]
    }
}
