import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Each pilot region's complaint channels (hotline, 12315 hand-over, online address, office address and hours):
/// published by the region's official (or a ministry official), shown to anyone, announced on every change.
struct ChannelBook: Sendable {
    let context: ComplaintsContext

    struct Input: Decodable, Sendable {
        var hotline: String
        var handover12315: Bool
        var onlineAddress: String?
        var officeAddress: String?
        var officeHours: String?

        func validated() throws(Problem) -> Input {
            var validator = Validator()
            validator.text(hotline, field: "hotline", maxLength: 50)
            validator.require(hotline.wholeMatch(of: /[0-9][0-9\- ]{2,48}[0-9]?/) != nil, field: "hotline",
                              "must be a phone number (digits, spaces and hyphens)")
            if let onlineAddress {
                validator.text(onlineAddress, field: "onlineAddress", maxLength: 500)
                let url = URL(string: onlineAddress)
                validator.require(url?.scheme == "https" && url?.host?.isEmpty == false, field: "onlineAddress",
                                  "must be an https:// address")
            }
            if let officeAddress { validator.text(officeAddress, field: "officeAddress", maxLength: 500) }
            if let officeHours { validator.text(officeHours, field: "officeHours", maxLength: 200) }
            validator.require(onlineAddress != nil || officeAddress != nil || handover12315, field: "onlineAddress",
                              "a region offers an online address, an office or the 12315 hand-over besides its hotline")
            try validator.validate()
            return self
        }
    }

    struct View: ResponseEncodable, Codable, Sendable {
        var regionCode: String
        var regionName: String?
        var hotline: String
        var handover12315: Bool
        var onlineAddress: String?
        var officeAddress: String?
        var officeHours: String?
        var publishedAt: Date
    }

    func publish(_ input: Input, for region: DivisionCode, by principal: Principal) async throws -> View {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let approved = try await connection.query("SELECT 1 FROM pilot_region WHERE region_code = \(region.rawValue)")
            guard approved.first != nil else { throw ComplaintsError.regionNotApproved(region.rawValue) }
            try await connection.query("""
                INSERT INTO complaint_channels (region_code, hotline, handover_12315, online_address, office_address,
                    office_hours, published_by, published_at)
                VALUES (\(region.rawValue), \(input.hotline), \(input.handover12315), \(input.onlineAddress),
                    \(input.officeAddress), \(input.officeHours), \(principal.subject), \(now))
                ON CONFLICT (region_code) DO UPDATE SET hotline = EXCLUDED.hotline, handover_12315 = EXCLUDED.handover_12315,
                    online_address = EXCLUDED.online_address, office_address = EXCLUDED.office_address,
                    office_hours = EXCLUDED.office_hours, published_by = EXCLUDED.published_by,
                    published_at = EXCLUDED.published_at
                """)
            try await context.outbox.append(ComplaintChannelsPublished(
                regionCode: region, hotline: input.hotline, handover12315: input.handover12315,
                onlineAddress: input.onlineAddress, officeAddress: input.officeAddress, officeHours: input.officeHours,
                actorRole: principal.actorRole, publishedAt: now), on: connection, time: now)
        }
        return try await view(region.rawValue)
    }

    func view(_ region: String) async throws -> View {
        let rows = try await context.pool.query("""
            SELECT c.region_code, r.region_name, c.hotline, c.handover_12315, c.online_address, c.office_address,
                c.office_hours, c.published_at
            FROM complaint_channels AS c LEFT JOIN pilot_region AS r USING (region_code)
            WHERE c.region_code = \(region)
            """)
        guard let row = rows.first else { throw ComplaintsError.channelsNotFound(region) }
        return View(
            regionCode: try row.decode("region_code", as: String.self), regionName: try row.decode("region_name", as: String?.self),
            hotline: try row.decode("hotline", as: String.self), handover12315: try row.decode("handover_12315", as: Bool.self),
            onlineAddress: try row.decode("online_address", as: String?.self),
            officeAddress: try row.decode("office_address", as: String?.self),
            officeHours: try row.decode("office_hours", as: String?.self), publishedAt: try row.decode("published_at", as: Date.self))
    }
}

/// `PUT /regions/{code}/complaint-channels` (the region's official) and `GET /public/regions/{code}/complaint-channels`
/// (anyone, no account).
struct ChannelRoutes: Sendable {
    let context: ComplaintsContext

    func add(to router: Router<AppRequestContext>) {
        let book = ChannelBook(context: context)
        router.put("/regions/:code/complaint-channels") { request, requestContext in
            let code = try requestContext.parameters.require("code")
            var validator = Validator()
            let region = validator.divisionCode(code, field: "code")
            try validator.validate()
            let principal = try requestContext.requireRegion(region!)
            let input = try await request.decode(as: ChannelBook.Input.self, context: requestContext).validated()
            return try await book.publish(input, for: region!, by: principal)
        }
        router.get("/public/regions/:code/complaint-channels") { _, requestContext in
            try await book.view(try requestContext.parameters.require("code"))
        }
    }
}
