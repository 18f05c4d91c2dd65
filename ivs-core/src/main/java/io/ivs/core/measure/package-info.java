/** Measure references and calculated-measure evaluation on aggregated values. */
@NullMarked
package io.ivs.core.measure;

import org.jspecify.annotations.NullMarked;
