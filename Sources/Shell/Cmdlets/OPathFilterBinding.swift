import Foundation
import TenantModel

/// How the Shell binds `-Filter`: the OPATH parser lives in TenantModel; what is Shell's
/// own is the binding error Exchange prints for a refused filter.
extension OPathFilter {
    /// The binding error Exchange gives for a refused filter:
    /// `Cannot bind parameter 'Filter' to the target. Exception setting "Filter": "Invalid filter syntax. ..."`.
    /// [issues office-docs-powershell#8775, OfficeDocs-Support#953 (syntax); office-docs-powershell#8321
    /// (unknown property)]
    static func bindingError(_ failure: Failure, filter: String, properties: [String], cmdlet: String,
                             parameter: String = "Filter") -> ShellError {
        let reason: String
        let position: Int
        switch failure {
        case .syntax(let p):
            reason = "Invalid filter syntax. For a description of the filter parameter syntax see the command help."
            position = p
        case .unknownProperty(let name, let p):
            reason = "\"\(name)\" is not a recognized filterable property. Valid property names are: "
                + properties.sorted { $0.lowercased() < $1.lowercased() }.joined(separator: ", ") + "."
            position = p
        }
        let task = cmdlet.replacingOccurrences(of: "-", with: "")
        return ShellError(
            message: "Cannot bind parameter '\(parameter)' to the target. Exception setting \"\(parameter)\": \"\(reason)\n\"\(filter)\" at position \(position).\"",
            category: .InvalidArgument, reason: "ParameterBindingException",
            errorId: "ParameterBindingFailed,Microsoft.Exchange.Management.Tasks.\(task)",
            activity: cmdlet, targetName: filter, isRemote: true, isTerminating: true)
    }

    /// Parses the `-Filter` argument of `cmdlet` against a schema's visible properties, or
    /// returns nil when no filter was given. Throws Exchange's binding error.
    static func bound<T>(_ parameters: BoundParameters, schema: ObjectSchema<T>, hidden: Set<String> = [],
                         cmdlet: String) throws(ShellError) -> (OPathFilter, ObjectSchema<T>)? {
        guard let text = parameters.string("Filter") else { return nil }
        let names = schema.propertyNames.filter { !hidden.contains($0) }
        do {
            return (try parse(text, properties: names), schema)
        } catch {
            throw bindingError(error, filter: text, properties: names, cmdlet: cmdlet)
        }
    }
}
