package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hc.client5.http.ClientProtocolException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

/** What a failed attempt says: never text that came from the receiver. */
class WebhookSenderTest {
    /** Only messages that IVS or the JDK write are kept; a protocol error may quote the peer. */
    @Test
    void describe_keepsConnectAndTimeoutMessages_butNotProtocolErrors() {
        assertThat(WebhookSender.describe(new ConnectException("Connection refused")))
                .isEqualTo("ConnectException: Connection refused");
        assertThat(WebhookSender.describe(new SocketTimeoutException("Read timed out")))
                .isEqualTo("SocketTimeoutException: Read timed out");
        assertThat(WebhookSender.describe(
                        new ClientProtocolException("Invalid status line: 'SECRET'")))
                .isEqualTo("ClientProtocolException");
        assertThat(WebhookSender.describe(new IOException("SECRET"))).isEqualTo("IOException");
    }
}
