package io.ivs.server.console;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Model attributes that every console page's layout needs. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {
    private final boolean liveChanges;

    ConsoleModel(@Value("${ivs.console.live-changes:false}") boolean liveChanges) {
        this.liveChanges = liveChanges;
    }

    /** Whether the "Live changes" page exists; its menu entry stays hidden until it does. */
    @ModelAttribute("liveChanges")
    boolean liveChanges() {
        return liveChanges;
    }
}
