import Contracts
import Core
import Foundation
import Outcomes
import Testing

@Suite("Outcome codes checked on arrival")
struct OutcomeVocabularyTests {
    static let received = day("2026-06-01")
    static let header = "id,patient_id,date,kind,reason,test,value,unit,source\n"

    func read(_ rows: String, _ vocabulary: OutcomeVocabulary = .dictionary) throws(FileValidationError) -> OutcomeEventFile.Reading {
        try OutcomeEventFile.read(Array((Self.header + rows).utf8), format: .csv, receivedOn: Self.received, vocabulary: vocabulary)
    }

    @Test("a typo of a known code is refused at its line with the code meant; every problem at once")
    func typosAreRefused() {
        let rows = """
        e1,p1,2026-01-02,response-assessment,,,complet,,registry
        e2,p1,2026-01-03,hospitalization,vaso-occlusive-evnt,,,,claims
        e3,p1,2026-01-04,lab-value,,factor-ix-activty,5.2,%,lab

        """
        #expect {
            try read(rows)
        } throws: { error in
            let issues = (error as? FileValidationError)?.issues ?? []
            return issues.count == 3
                && issues[0].line == 2 && issues[0].path == "value" && issues[0].problem.contains("did you mean complete?")
                && issues[1].line == 3 && issues[1].path == "reason" && issues[1].problem.contains("did you mean vaso-occlusive-event?")
                && issues[2].line == 4 && issues[2].path == "test" && issues[2].problem.contains("did you mean factor-ix-activity?")
        }
    }

    @Test("a unit nobody reads, another name of a known code and a short unknown code are recorded with a notice, never refused")
    func noticesNotRefusals() throws {
        let rows = """
        e1,p1,2026-01-02,lab-value,,hemoglobin,112,g/L,lab
        e2,p1,2026-01-03,lab-value,,factor-ix-activity,5.2,[IU]/dL,lab
        e3,p1,2026-01-04,response-assessment,,,cr,,registry
        e4,p1,2026-01-05,response-assessment,,,ok,,registry

        """
        let reading = try read(rows)
        #expect(reading.events.count == 4)
        #expect(reading.notices.map(\.path) == ["unit", "unit", "value", "value"])
        #expect(reading.notices[0].problem.contains("read in g/dL") && reading.notices[0].problem.contains("does not convert"))
        #expect(reading.notices[1].problem.contains("write %"))
        #expect(reading.notices[2].problem.contains("another name of complete"))
        #expect(reading.notices[3].problem.contains("no contract measure reads it"))
    }

    @Test("a category of the sender's own is recorded with a notice; filing a contract that measures it makes it known")
    func contractCodesBecomeKnown() throws {
        let row = "e1,p1,2026-01-02,response-assessment,,,responding,,registry\n"
        let before = try read(row)
        #expect(before.events.count == 1)
        #expect(before.notices.map(\.path) == ["value"])
        #expect(before.notices.first?.line == 2)
        #expect(before.notices.first?.problem.contains("no contract measure reads it") == true)

        let zolgensma = try exampleContract("zolgensma-installments")
        #expect(zolgensma.outcomeVocabulary.responses == ["responding"])
        let after = try read(row, OutcomeVocabulary.dictionary.union(zolgensma.outcomeVocabulary))
        #expect(after.events.count == 1 && after.notices.isEmpty)
    }

    @Test("known codes pass untouched, and without a vocabulary only the form of a code is checked")
    func knownCodesPass() throws {
        let rows = """
        e1,p1,2026-01-02,response-assessment,,,complete,,registry
        e2,p1,2026-01-03,hospitalization,vaso-occlusive-event,,,,claims
        e3,p1,2026-01-04,lab-value,,factor-ix-activity,5.2,%,lab

        """
        let reading = try read(rows)
        #expect(reading.events.count == 3 && reading.notices.isEmpty)
        #expect(try OutcomeEventFile.parse(Self.header + "e1,p1,2026-01-02,response-assessment,,,complet,,registry\n", format: .csv, receivedOn: Self.received).count == 1)
    }
}
