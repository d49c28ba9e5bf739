/**
 * Helpers for watching training: {@link dev.torchlet.utils.Progress} (a progress bar with steps/s, ETA
 * and the last loss), {@link dev.torchlet.utils.MetricsLog} (metrics per step to CSV) and
 * {@link dev.torchlet.utils.LossChart} (loss curves as PNG, drawn by XChart).
 */
package dev.torchlet.utils;
