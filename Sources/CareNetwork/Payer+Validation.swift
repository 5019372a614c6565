import Core

extension Payer {
    /// A payer as an operator enters it, every field as text, until ``validated()`` checks it.
    public struct Draft: Sendable {
        public var id: String
        public var name: String
        public var kind: String
        /// Required for a Medicaid program; optional (a regional insurer's home state) otherwise.
        public var state: String?

        public init(id: String, name: String, kind: String, state: String?) {
            self.id = id
            self.name = name
            self.kind = kind
            self.state = state
        }

        /// The payer, or every problem with the draft, each naming its field.
        public func validated() throws(ValidationError) -> Payer {
            var checks = FieldChecks()
            let id: PayerID = checks.identifier(id, field: "id")
            let name = checks.required(name, field: "name")
            let kind = checks.choice(kind, field: "kind", as: PayerKind.self)
            // A Medicaid program is a state's: its state decides its rules and its credentialing.
            let state = checks.state(state, field: "state", optional: kind != .medicaid)
            try checks.finish()
            return Payer(id: id, name: name, kind: kind ?? .commercial, state: state)
        }
    }

    public var draft: Draft { Draft(id: id.rawValue, name: name, kind: kind.rawValue, state: state) }
}

extension Plan {
    /// A plan as an operator enters it, every field as text, until ``validated(payer:)`` checks it.
    public struct Draft: Sendable {
        public var id: String
        public var payerID: String
        public var name: String
        public var type: String
        /// Required for Medicaid and CHIP plans.
        public var state: String?

        public init(id: String, payerID: String, name: String, type: String, state: String?) {
            self.id = id
            self.payerID = payerID
            self.name = name
            self.type = type
            self.state = state
        }

        /// The plan, or every problem with the draft. `payer` is the directory's payer named by
        /// `payerId` (`nil` when there is none), whose kind limits the plan types it offers.
        public func validated(payer: Payer?) throws(ValidationError) -> Plan {
            var checks = FieldChecks()
            let id: PlanID = checks.identifier(id, field: "id")
            let payerID: PayerID = checks.identifier(payerID, field: "payerId")
            if checks.issues.last?.field != "payerId", payer == nil {
                checks.fail("payerId", "no payer '\(payerID)'; add the payer first")
            }
            let name = checks.required(name, field: "name")
            let type = checks.choice(type, field: "type", as: PlanType.self)
            let isMedicaid = type == .medicaid || type == .chip
            let state = checks.state(state, field: "state", optional: !isMedicaid)
            if let payer, let type {
                if let allowed = payer.kind.planTypes, !allowed.contains(type) {
                    checks.fail("type", "a \(payer.kind.rawValue) payer offers \(allowed.map(\.rawValue).sorted().joined(separator: " or ")) plans, not \(type.rawValue)")
                }
                if payer.kind == .medicaid, let state, let programState = payer.state, state != programState {
                    checks.fail("state", "must be \(programState), the state of the payer's Medicaid program, got \(state)")
                }
            }
            try checks.finish()
            return Plan(id: id, payerID: payerID, name: name, type: type ?? .commercial, state: state)
        }
    }

    public var draft: Draft { Draft(id: id.rawValue, payerID: payerID.rawValue, name: name, type: type.rawValue, state: state) }
}

extension PayerKind {
    /// The plan types a payer of this kind may offer; `nil` when any (a commercial insurer also
    /// runs Medicare Advantage and Medicaid managed-care plans).
    public var planTypes: Set<PlanType>? {
        switch self {
        case .medicaid: [.medicaid, .chip]
        case .medicare: [.medicare]
        case .selfInsuredEmployer: [.selfInsured]
        case .commercial, .medicareAdvantage: nil
        }
    }
}
