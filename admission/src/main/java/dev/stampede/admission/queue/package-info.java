/**
 * The admission decision: {@link dev.stampede.admission.queue.AdmissionController} runs, queues (CoDel queue time,
 * adaptive LIFO, strict priority) or refuses each {@link dev.stampede.admission.queue.Waiter}.
 */
package dev.stampede.admission.queue;
