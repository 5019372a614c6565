import Access
import CareNetwork
import Core
import Foundation
import SQLKit

/// The documented ties between a patient and the network's organizations, and the one act
/// that adds a tie between centers: a referral.
public protocol PatientRelationshipRepository: Sendable {
    /// Who registered, was referred, treats and covers the patient, read in one go.
    func relationships(of patient: PatientID) async throws -> PatientRelationships
    /// Records a referral; `false` when the same referral was already recorded under its ID.
    func refer(_ referral: Referral, recordedBy: String?) async throws -> Bool
    /// The patient's referrals, oldest first.
    func referrals(of patient: PatientID) async throws -> [Referral]
    /// Every patient a center is related to: registered by its organization, referred to it,
    /// or with a case there. (A center's own patients: a bounded set, read in three queries.)
    func patients(relatedTo center: CenterID, organization: OrganizationID) async throws -> Set<PatientID>
}

/// ``PatientRelationshipRepository`` over SQL, the same on SQLite and PostgreSQL.
public struct SQLPatientRelationshipRepository: PatientRelationshipRepository {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    public func relationships(of patient: PatientID) async throws -> PatientRelationships {
        try await database.withConnection { db in
            let id = patient.rawValue
            let registrant = try await db.select().column("organization_id").from("patient_registrations").where("patient_id", .equal, id)
                .first().map { OrganizationID(try $0.string("organization_id")) }
            let referred = try await db.select().distinct().column("to_center_id").from("patient_referrals").where("patient_id", .equal, id)
                .all().map { CenterID(try $0.string("to_center_id")) }
            let treating = try await db.select().distinct().column("center_id").from("cases").where("patient_id", .equal, id)
                .all().map { CenterID(try $0.string("center_id")) }
            let covering = try await db.select().distinct().column("payer_id").from("coverage_periods").where("patient_id", .equal, id)
                .all().map { PayerID(try $0.string("payer_id")) }
            return PatientRelationships(registrant: registrant, referredTo: Set(referred), caseCenters: Set(treating), payers: Set(covering))
        }
    }

    public func refer(_ referral: Referral, recordedBy: String?) async throws -> Bool {
        let recordedAt = ISO8601DateFormatter().string(from: now())
        return try await database.transaction { db in
            if let row = try await db.select().column("*").from("patient_referrals").where("id", .equal, referral.id.rawValue).first() {
                guard try Self.referral(row) == referral else {
                    throw StorageError.idTaken(referral.id.rawValue)
                }
                return false
            }
            try await db.insert(into: "patient_referrals")
                .columns("id", "patient_id", "from_organization_id", "to_center_id", "referral_date", "reason", "recorded_by", "recorded_at")
                .values(SQLBind(referral.id.rawValue), SQLBind(referral.patientID.rawValue), SQLBind(referral.fromOrganization),
                        SQLBind(referral.toCenter.rawValue), SQLBind(referral.date.description), SQLBind(referral.reason),
                        SQLBind(recordedBy), SQLBind(recordedAt))
                .run()
            return true
        }
    }

    public func patients(relatedTo center: CenterID, organization: OrganizationID) async throws -> Set<PatientID> {
        try await database.withConnection { db in
            var patients = Set<PatientID>()
            for row in try await db.select().column("patient_id").from("patient_registrations").where("organization_id", .equal, organization.rawValue).all() {
                patients.insert(PatientID(try row.string("patient_id")))
            }
            for row in try await db.select().column("patient_id").from("patient_referrals").where("to_center_id", .equal, center.rawValue).all() {
                patients.insert(PatientID(try row.string("patient_id")))
            }
            for row in try await db.select().distinct().column("patient_id").from("cases").where("center_id", .equal, center.rawValue).all() {
                patients.insert(PatientID(try row.string("patient_id")))
            }
            return patients
        }
    }

    public func referrals(of patient: PatientID) async throws -> [Referral] {
        try await database.withConnection { db in
            try await db.select().column("*").from("patient_referrals").where("patient_id", .equal, patient.rawValue)
                .orderBy("referral_date").orderBy("id").all().map(Self.referral)
        }
    }

    static func referral(_ row: any SQLRow) throws -> Referral {
        Referral(
            id: ReferralID(try row.string("id")), patientID: PatientID(try row.string("patient_id")),
            fromOrganization: try row.string("from_organization_id"), toCenter: CenterID(try row.string("to_center_id")),
            date: try row.date("referral_date"), reason: try row.optionalString("reason"))
    }
}
