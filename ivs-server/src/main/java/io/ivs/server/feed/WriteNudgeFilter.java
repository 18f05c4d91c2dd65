package io.ivs.server.feed;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * After every API call that may have written (anything but GET and HEAD), nudges this instance's
 * sequencer, so that a change reaches the feed without waiting for the next sequencing interval.
 */
@Component
public class WriteNudgeFilter extends OncePerRequestFilter {
    private final ChangeSequencer sequencer;

    public WriteNudgeFilter(ChangeSequencer sequencer) {
        this.sequencer = sequencer;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return method.equals("GET")
                || method.equals("HEAD")
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            sequencer.nudge();
        }
    }
}
