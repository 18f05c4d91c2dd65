package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DeadlockLoserDataAccessException;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

class TransactionRetryTest {
    private static RuntimeException aborted(String sqlState) {
        return new DeadlockLoserDataAccessException(
                "ConnectionCallback", new SQLException("aborted", sqlState));
    }

    @Test
    void isTransient_deadlockOrSerializationAtAnyDepth_isTrue() {
        assertThat(TransactionRetry.isTransient(aborted("40P01"))).isTrue();
        assertThat(TransactionRetry.isTransient(
                        new IllegalStateException(new IllegalStateException(aborted("40001")))))
                .isTrue();
        assertThat(TransactionRetry.isTransient(aborted("23505"))).isFalse();
        assertThat(TransactionRetry.isTransient(new IllegalStateException("x"))).isFalse();
    }

    @Test
    void isTransient_recordRemovedUnderAWrite_isTrue_otherForeignKeys_areNot() {
        String lost = "ERROR: insert or update on table \"onhand_quantity_102041\" violates"
                + " foreign key constraint \"onhand_quantity_product_key_record_key_fkey_102041\"\n"
                + "  Detail: Key (product_key, record_key)=(x, y) is not present in table"
                + " \"onhand_record_102009\".";
        String other = "ERROR: insert or update on table \"adjustment\" violates foreign key"
                + " constraint \"adjustment_environment_id_fkey\"\n"
                + "  Detail: Key (environment_id)=(e) is not present in table \"environment\".";

        assertThat(TransactionRetry.isTransient(
                        new IllegalStateException(new SQLException(lost, "23503"))))
                .isTrue();
        assertThat(TransactionRetry.isTransient(new SQLException(other, "23503")))
                .isFalse();
    }

    @Test
    void run_abortedTwice_answersTheThirdAttempt() {
        AtomicInteger attempts = new AtomicInteger();

        String answer = TransactionRetry.run(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw aborted("40P01");
            }
            return "committed";
        });

        assertThat(answer).isEqualTo("committed");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void run_abortedEveryTime_givesUpAfterTheLimitWithTheDatabaseError() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> TransactionRetry.run(() -> {
                    attempts.incrementAndGet();
                    throw aborted("40P01");
                }))
                .isInstanceOf(DeadlockLoserDataAccessException.class);
        assertThat(attempts).hasValue(1 + TransactionRetry.RETRIES_MAX);
    }

    @Test
    void run_otherFailure_isNotRunAgain() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> TransactionRetry.run(() -> {
                    attempts.incrementAndGet();
                    throw aborted("23505");
                }))
                .isInstanceOf(DeadlockLoserDataAccessException.class);
        assertThat(attempts).hasValue(1);
    }
}
