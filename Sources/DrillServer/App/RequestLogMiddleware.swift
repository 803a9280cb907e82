import HTTPTypes
import Hummingbird
import Logging

/// Logs one line per request (method, path with any token redacted, status, duration) under the
/// request id Hummingbird puts in the logger, and returns that id as `X-Request-Id`. Query
/// strings and headers are never logged, so neither a token nor a phone number can reach a log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        let requestID = context.logger[metadataKey: "hb.request.id"]?.description
        do {
            var response = try await next(request, context)
            if let requestID { response.headers[Self.requestIDHeader] = requestID }
            log(request, context, status: response.status, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            log(request, context, status: status, since: started)
            // Every 404 looks the same, whoever produced it (a route or the router).
            if status == .notFound {
                var response = Responses.notFound()
                if let requestID { response.headers[Self.requestIDHeader] = requestID }
                return response
            }
            throw error
        }
    }

    private func log(
        _ request: Request, _ context: Context, status: HTTPResponse.Status, since: ContinuousClock.Instant
    ) {
        Self.log(context.logger, method: request.method, path: request.uri.path, status: status, since: since)
    }

    /// The one request line, also written by `FeedFastPath` for the requests it answers.
    static func log(
        _ logger: Logger, method: HTTPRequest.Method, path: some StringProtocol, status: HTTPResponse.Status,
        since: ContinuousClock.Instant
    ) {
        guard logger.logLevel <= .info else { return }
        let micros = microseconds(since: since)
        // The server's own handler writes the line straight into its sink, the same bytes
        // (`SinkLogHandler.logRequest`); swift-log's event and metadata merge cost 7 % of a routed
        // `GET /`. Any other handler, or one carrying more keys, gets the event as always.
        if let handler = logger.handler as? SinkLogHandler,
            handler.logRequest(
                method: method.rawValue, path: redacted(String(path)), status: status.code, micros: micros,
                source: "DrillServer")
        {
            return
        }
        logger.info(
            "request",
            metadata: [
                "method": "\(method.rawValue)",
                "path": "\(Self.redacted(String(path)))",
                "status": "\(status.code)",
                "duration_us": "\(micros)",
            ])
    }

    static func microseconds(since: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - since
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }

    /// The path with a private feed's token replaced: `/feeds/REDACTED.ics`.
    static func redacted(_ path: String) -> String {
        if path.hasPrefix("/feeds/") { return "/feeds/REDACTED" }
        // The member absence page carries the same private token.
        if path.hasPrefix("/me/") { return "/me/REDACTED" }
        return path
    }
}
