package io.ivs.server.security;

import io.ivs.server.security.SigningKeyStore.StoredKey;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signing-key administration: list the keys in use and rotate (never shows private parts). */
@RestController
public class KeyAdminController {
    private final SigningKeys keys;

    public KeyAdminController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping("/admin/keys")
    List<Map<String, Object>> list() {
        return keys.verifying().stream().map(KeyAdminController::view).toList();
    }

    /**
     * A new key signs from now on; the old one keeps verifying until the tokens it signed have
     * expired, so nobody is signed out by a rotation.
     */
    @PostMapping("/admin/keys/rotate")
    Map<String, Object> rotate() {
        return view(keys.rotate());
    }

    private static Map<String, Object> view(StoredKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kid", key.kid());
        view.put("algorithm", key.algorithm());
        view.put("status", key.retiredAt() == null ? "signing" : "verifying");
        view.put("createdAt", key.createdAt().toString());
        view.put(
                "verifyUntil",
                key.verifyUntil() == null ? null : key.verifyUntil().toString());
        return view;
    }
}
