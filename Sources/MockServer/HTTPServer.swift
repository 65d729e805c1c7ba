import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The request context: Hummingbird's core storage plus the peer's address.
public struct SimRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Hands every HTTP request to `SimServer.handle`: the simulator routes by itself, so the
/// same code answers in-process tests and real clients.
struct SimResponder: HTTPResponder {
    typealias Context = SimRequestContext
    let server: SimServer

    func respond(to request: Request, context: SimRequestContext) async throws -> Response {
        let limit = server.options.maxBodyBytes
        var body = Data()
        var tooLarge = false
        do {
            let buffer = try await request.body.collect(upTo: limit)
            body = Data(buffer.readableBytesView)
        } catch {
            // Over the limit: the server answers 413 in the route's own error shape.
            tooLarge = true
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        // HTTP/1.1's Host header arrives as the request's authority, not as a field: links
        // (`@odata.nextLink`, contentUri) are built from it.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        let address = context.remoteAddress
        var sim = SimRequest(method: request.method.rawValue, path: request.uri.path,
                             query: SimRequest.parseQuery(request.uri.query ?? ""), headers: headers, body: body,
                             clientIP: address?.ipAddress ?? "127.0.0.1", clientPort: address?.port ?? 0)
        sim.bodyTooLarge = tooLarge
        let response = await server.handle(sim)
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: response.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

/// Runs the simulator over HTTP until SIGINT/SIGTERM (graceful shutdown: requests in
/// flight finish), saving `--db` tenants periodically and at the end.
public enum HTTPServer {
    /// Serves `server` on its host and port; `onRunning` gets the bound port (0 asks the OS).
    public static func run(_ server: SimServer, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            responder: SimResponder(server: server),
            configuration: ApplicationConfiguration(address: .hostname(server.options.host, port: server.options.port),
                                                    serverName: "Microsoft-HTTPAPI/2.0"),
            services: [PersistenceService(server: server)],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? server.options.port) },
            logger: server.logger)
        try await app.runService()
    }
}

/// Saves changed tenants every second and once more at shutdown.
struct PersistenceService: Service {
    let server: SimServer

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(1))
            await saveAll()
        }
        await saveAll()
    }

    func saveAll() async {
        for host in server.allTenants {
            do { try await host.saveIfDirty() } catch {
                server.logger.error("Saving a tenant failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
