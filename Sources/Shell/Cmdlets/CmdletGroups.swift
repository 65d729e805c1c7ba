/// The cmdlet groups that make up the standard registry. Add a group here when you add a
/// file of cmdlets.
enum CmdletGroups {
    static var all: [[CmdletDefinition]] {
        [
            SessionCmdlets.definitions,
        ]
    }
}
