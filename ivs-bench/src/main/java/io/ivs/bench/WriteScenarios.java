package io.ivs.bench;

import io.ivs.core.onhand.ResolvedChange;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk and single-event ingest on IVS, and the same logical changes on both ceilings: batch
 * {@code n} of each stream is the same events everywhere.
 */
final class WriteScenarios {
    private final Options options;
    private final Target target;
    private final Report report;
    private final SameWorkCeiling sameWork = new SameWorkCeiling();
    private final ReferenceCeiling reference = new ReferenceCeiling();

    WriteScenarios(Options options, Target target, Report report) {
        this.options = options;
        this.target = target;
        this.report = report;
    }

    void run() throws SQLException {
        ingest("bulk ingest", "bulk", Options.BULK_SIZE, options.bulkClients());
        ingest("single-event ingest", "single", 1, options.singleClients());
    }

    private void ingest(String scenario, String stream, int batchSize, int clients)
            throws SQLException {
        Events.Space space = options.space();
        AtomicLong ivsBatches = new AtomicLong();
        Load.Measured ivs = Load.run(options.plan(clients), (worker, sequence) -> {
            List<Events.Event> events =
                    Events.randomBatch(stream, ivsBatches.getAndIncrement(), batchSize, space);
            if (batchSize == 1) {
                Http.Response response = target.http.post(
                        Target.ENVIRONMENT, Target.api("/onhand"), Events.json(events.get(0)));
                return response.statusCode() == 200 ? Outcome.OK : Outcome.ERROR;
            }
            Http.Response response = target.http.post(
                    Target.ENVIRONMENT, Target.api("/onhand/bulk"), Events.json(events));
            return Target.allAccepted(response, batchSize) ? Outcome.OK : Outcome.ERROR;
        });
        Row ivsRow = Row.of(scenario, Row.IVS, clients, batchSize, ivs, "events/s in items/s");
        report.add(ivsRow);

        int connections = Math.min(clients, Options.POOL_SIZE);
        List<Connection> same = connect(SameWorkCeiling.SCHEMA, connections);
        AtomicLong sameBatches = new AtomicLong();
        Load.Measured sameMeasured = Load.run(options.plan(connections), (worker, sequence) -> {
            List<ResolvedChange> changes = resolve(
                    Events.randomBatch(stream, sameBatches.getAndIncrement(), batchSize, space));
            sameWork.apply(same.get(worker), Target.ENVIRONMENT, changes);
            return Outcome.OK;
        });
        Row sameRow = Row.of(scenario, Row.SAME_WORK, connections, batchSize, sameMeasured, "");
        report.add(sameRow);

        if (batchSize == 1) {
            // IVS used three statements for every request before; now one for small ones.
            List<Connection> old = connect(SameWorkCeiling.SCHEMA, connections);
            AtomicLong oldBatches = new AtomicLong();
            Load.Measured oldMeasured = Load.run(options.plan(connections), (worker, sequence) -> {
                List<ResolvedChange> changes = resolve(Events.randomBatch(
                        stream + "-3", oldBatches.getAndIncrement(), batchSize, space));
                sameWork.applyThreeStatements(old.get(worker), Target.ENVIRONMENT, changes);
                return Outcome.OK;
            });
            report.add(Row.of(
                    scenario, Row.THREE_STATEMENTS, connections, batchSize, oldMeasured, ""));
        }

        List<Connection> ref = connect(ReferenceCeiling.SCHEMA, connections);
        AtomicLong refBatches = new AtomicLong();
        Load.Measured refMeasured = Load.run(options.plan(connections), (worker, sequence) -> {
            List<ResolvedChange> changes = resolve(
                    Events.randomBatch(stream, refBatches.getAndIncrement(), batchSize, space));
            reference.apply(ref.get(worker), changes);
            return Outcome.OK;
        });
        Row refRow = Row.of(scenario, Row.REFERENCE, connections, batchSize, refMeasured, "");
        report.add(refRow);
        report.ratio(new Report.Ratio(
                scenario,
                Row.REFERENCE,
                ivsRow.itemsPerSecond(),
                refRow.itemsPerSecond(),
                "events/s"));
        report.ratio(new Report.Ratio(
                scenario,
                Row.SAME_WORK,
                ivsRow.itemsPerSecond(),
                sameRow.itemsPerSecond(),
                "events/s"));
    }

    private List<Connection> connect(String schema, int count) throws SQLException {
        List<Connection> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(target.connect(schema));
        }
        return list;
    }

    static List<ResolvedChange> resolve(List<Events.Event> events) {
        List<ResolvedChange> changes = new ArrayList<>(events.size());
        for (Events.Event e : events) {
            changes.add(Events.resolve(Target.ENVIRONMENT, e));
        }
        return changes;
    }
}
