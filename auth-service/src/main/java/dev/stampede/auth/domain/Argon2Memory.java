package dev.stampede.auth.domain;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator.Block;

/**
 * Argon2 memory kept from one hash to the next, so that a log-in allocates nothing on the Java heap.
 *
 * <p>Without it every hash allocates its whole memory (19 MiB of 1 KiB blocks at the OWASP minimum) and drops it
 * tens of milliseconds later. A JVM that has just started then spends its first 10–30 s of log-ins growing the
 * heap towards gigabytes — young collections that copy the blocks of the hashes in flight, and the kernel zeroing
 * every new page — at up to half the log-in rate it reaches afterwards: the auth pods that come back after a storm
 * are slowest exactly when the log-ins arrive. With kept memory the rate is the warm one from the first seconds and
 * the heap stays small.
 *
 * <p>Each {@link #lease()} is the memory of one hash, handed to Bouncy Castle as its block pool
 * ({@code Argon2Parameters.Builder.withBlockPool}). Bouncy Castle clears every block before it gives it back, so a
 * kept block holds zeros, never password-derived data. A lease is confined to the thread that runs its hash; it
 * goes back with {@link Lease#release()} after the hash completed. At most {@code kept} memories are kept (one
 * per hashing thread is enough); a memory above {@code maxBlocks} blocks (a stored hash with a larger cost than
 * today's) is left to the garbage collector, as are the memories of hashes that failed.
 *
 * <p>Thread-safe.
 */
final class Argon2Memory {
  private final BlockingQueue<ArrayDeque<Block>> idle;
  private final int maxBlocks;
  private final LongAdder created = new LongAdder();

  /**
   * @param kept memories kept for reuse, at least 1
   * @param maxBlocks the largest memory kept, in 1 KiB blocks
   */
  Argon2Memory(int kept, int maxBlocks) {
    if (kept < 1 || maxBlocks < 1) {
      throw new IllegalArgumentException("kept " + kept + ", maxBlocks " + maxBlocks + " (expected: >= 1)");
    }
    this.idle = new ArrayBlockingQueue<>(kept);
    this.maxBlocks = maxBlocks;
  }

  /** Memory for one hash: a kept one if any is idle, else a new, empty one that grows as the hash asks. */
  Lease lease() {
    ArrayDeque<Block> blocks = idle.poll();
    return new Lease(blocks != null ? blocks : new ArrayDeque<>());
  }

  /** Blocks allocated so far because no kept one was free. */
  long blocksCreated() {
    return created.sum();
  }

  /** Memories idle now. */
  int idleMemories() {
    return idle.size();
  }

  /** The memory of one hash. Not thread-safe: one hash on one thread uses it. */
  final class Lease implements Argon2BytesGenerator.BlockPool {
    private final ArrayDeque<Block> blocks;

    private Lease(ArrayDeque<Block> blocks) {
      this.blocks = blocks;
    }

    @Override
    public Block allocate() {
      // First in, first out: the hash gets its blocks in the order of the last one, the same layout every time.
      Block b = blocks.pollFirst();
      if (b == null) {
        created.increment();
        return new Block();
      }
      return b;
    }

    @Override
    public void deallocate(Block block) {
      blocks.addLast(block);
    }

    /** Keeps this memory for the next hash; call once, after the hash completed normally. */
    void release() {
      if (blocks.size() <= maxBlocks) {
        idle.offer(blocks);
      }
    }
  }
}
