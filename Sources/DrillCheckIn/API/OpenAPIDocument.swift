/// The OpenAPI 3.1 description of the check-in JSON API, served at `GET /openapi.yaml`.
/// Written by hand; check it with `openapi-spec-validator` after changing it (see README).
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: drillcal check-in API
          version: 1.0.0
          summary: Attendance at grassroots emergency training sessions and drills (基层应急培训演练出勤签到).
          description: |
            Drill leaders record who turned out. Each session has one drill-leader code (带队签到码),
            issued with `drillcal code issue DIR UID`. Other apps send it as a bearer token; the
            check-in page logs in with it and then uses a cookie plus an `X-CSRF-Token` header.
            Messages are in Chinese by default; add `?lang=en` for English.
        servers:
          - url: /
        tags:
          - name: sessions
        paths:
          /api/sessions:
            get:
              tags: [sessions]
              operationId: listSessions
              summary: Published sessions that are not cancelled, by start time.
              parameters:
                - $ref: '#/components/parameters/Lang'
              responses:
                '200':
                  description: The sessions.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [sessions]
                        properties:
                          sessions:
                            type: array
                            items: { $ref: '#/components/schemas/Session' }
          /api/sessions/{uid}:
            get:
              tags: [sessions]
              operationId: getSession
              summary: One session with its live count; roster names and marks only for its drill leader.
              security:
                - {}
                - leaderCode: []
                - leaderCookie: []
              parameters:
                - $ref: '#/components/parameters/UID'
                - $ref: '#/components/parameters/Lang'
              responses:
                '200':
                  description: The session.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/SessionDetail' }
                '401': { $ref: '#/components/responses/Error' }
                '403': { $ref: '#/components/responses/Error' }
                '404': { $ref: '#/components/responses/Error' }
          /api/sessions/{uid}/marks:
            post:
              tags: [sessions]
              operationId: recordMarks
              summary: Records marks, all or nothing; a clientID already recorded changes nothing.
              description: |
                With the cookie, the request needs the page's `X-CSRF-Token` header and an Origin
                (or Referer) of this site. With a bearer code it needs neither.
              security:
                - leaderCode: []
                - leaderCookie: []
              parameters:
                - $ref: '#/components/parameters/UID'
                - $ref: '#/components/parameters/Lang'
                - name: X-CSRF-Token
                  in: header
                  required: false
                  description: Required with the cookie; the token embedded in the check-in page.
                  schema: { type: string }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/MarksRequest' }
              responses:
                '200':
                  description: Recorded.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/MarksResponse' }
                '400': { $ref: '#/components/responses/Error' }
                '401': { $ref: '#/components/responses/Error' }
                '403': { $ref: '#/components/responses/Error' }
                '404': { $ref: '#/components/responses/Error' }
                '409': { $ref: '#/components/responses/Error' }
                '422': { $ref: '#/components/responses/Error' }
                '429': { $ref: '#/components/responses/Error' }
                '503':
                  description: >-
                    The store is busy or failing; nothing was recorded. Retry after `Retry-After`
                    seconds with the same clientIDs (a mark already recorded is not counted twice).
                    The body carries a fixed message and `request_id`, never the database's words.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Error' }
        components:
          securitySchemes:
            leaderCode:
              type: http
              scheme: bearer
              description: >-
                The session's 12-character drill-leader code (`ABCD-EFGH-JKLM`; dashes, spaces and case
                are ignored). Wrong codes are throttled per address and per session (429 with Retry-After).
            leaderCookie:
              type: apiKey
              in: cookie
              name: drillcal_leader
              description: Set by POST /checkin/{uid}/login; HttpOnly, SameSite=Strict.
          parameters:
            UID:
              name: uid
              in: path
              required: true
              description: The session's UID.
              schema: { type: string }
            Lang:
              name: lang
              in: query
              required: false
              description: Language of names and messages.
              schema: { type: string, enum: [zh, en], default: zh }
          responses:
            Error:
              description: Refused; the message names what was wrong, in Chinese and English.
              content:
                application/json:
                  schema: { $ref: '#/components/schemas/Error' }
          schemas:
            Session:
              type: object
              required: [uid, title, kind, date, start, end, teams, finalized, cancelled]
              properties:
                uid: { type: string }
                title: { type: string }
                kind: { type: string, examples: [training, 'drill:live:comprehensive'] }
                date: { type: string, format: date }
                start: { type: string, pattern: '^[0-9]{2}:[0-9]{2}$' }
                end: { type: string, pattern: '^[0-9]{2}:[0-9]{2}$' }
                teams: { type: array, items: { type: string } }
                venue: { type: [string, 'null'] }
                finalized: { type: boolean }
                cancelled: { type: boolean }
            TeamCount:
              type: object
              required: [id, name, counted, minimum, rosterSize]
              properties:
                id: { type: string }
                name: { type: string }
                counted: { type: integer, description: Members of the team marked present or late. }
                minimum: { type: integer, description: The team's minimum (30 town, 10 village by default). }
                rosterSize: { type: integer }
            SessionDetail:
              type: object
              required: [session, teams, counted, minimum]
              properties:
                session: { $ref: '#/components/schemas/Session' }
                teams: { type: array, items: { $ref: '#/components/schemas/TeamCount' } }
                counted: { type: integer, description: Sum of the teams' counts. }
                minimum: { type: integer, description: Sum of the teams' minimums. }
                roster:
                  description: Names only (never phones); leader only.
                  type: array
                  items:
                    type: object
                    required: [member, name, teams]
                    properties:
                      member: { type: string }
                      name: { type: string }
                      teams: { type: array, items: { type: string } }
                marks:
                  description: Leader only.
                  type: array
                  items:
                    type: object
                    required: [member, status, source, guest]
                    properties:
                      member: { type: string }
                      status: { $ref: '#/components/schemas/Status' }
                      reason: { type: [string, 'null'] }
                      source: { type: string, enum: [cli, import, page, self] }
                      guest: { type: boolean }
                notices:
                  description: Members' own notices that they cannot come (an excused pre-mark, source member); leader only.
                  type: array
                  items:
                    type: object
                    required: [member, reason, at, source]
                    properties:
                      member: { type: string }
                      reason: { type: string }
                      at: { type: integer, description: Seconds since 1970 UTC. }
                      source: { type: string, enum: [member] }
            Status:
              type: string
              enum: [present, late, excused, absent]
            MarksRequest:
              type: object
              required: [marks]
              properties:
                marks:
                  type: array
                  maxItems: 500
                  items:
                    type: object
                    required: [member, status]
                    properties:
                      member: { type: string, maxLength: 100, description: Member id on the session's roster. }
                      status: { $ref: '#/components/schemas/Status' }
                      reason: { type: [string, 'null'], maxLength: 500, description: Required for excused. }
                      clientID:
                        type: [string, 'null']
                        maxLength: 100
                        description: Client-generated id; a mark whose id was recorded before is skipped.
            MarksResponse:
              type: object
              required: [changed, counted, minimum, teams]
              properties:
                changed: { type: integer }
                counted: { type: integer }
                minimum: { type: integer }
                teams: { type: array, items: { $ref: '#/components/schemas/TeamCount' } }
            Error:
              type: object
              required: [error, message, message_zh, message_en]
              properties:
                error: { type: string, examples: [unauthenticated, csrf, origin, unknown_member, finalized, old_code, busy] }
                message: { type: string }
                message_zh: { type: string }
                message_en: { type: string }
                request_id: { type: string, description: 'On 5xx only: the id the server log files the detail under.' }
        """#
}
