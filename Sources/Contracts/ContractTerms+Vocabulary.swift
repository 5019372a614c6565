import Outcomes

extension ContractTerms {
    /// The outcome codes this contract's measures read: its response categories, the
    /// hospitalization reason it counts, the lab test and unit of its threshold. Filing the
    /// contract makes them codes an outcome file may use (``OutcomeVocabulary``).
    public var outcomeVocabulary: OutcomeVocabulary {
        var vocabulary = OutcomeVocabulary()
        for measure in measures {
            switch measure.kind {
            case .responseBy(let responses), .responseMaintained(let responses):
                vocabulary.responses.formUnion(responses.map { $0.lowercased() })
            case .noHospitalization(let reason?):
                vocabulary.hospitalizationReasons.insert(reason)
            case .labAtLeast(let test, _, let unit, _):
                vocabulary.labUnits[test, default: []].insert(unit)
            case .noHospitalization(nil), .aliveAt, .transfusionIndependence:
                break
            }
        }
        return vocabulary
    }
}
