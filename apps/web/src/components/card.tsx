import type { HTMLAttributes, ReactNode } from 'react';

export function Card({
  children,
  className,
  as: Tag = 'section',
  ...rest
}: HTMLAttributes<HTMLElement> & {
  children: ReactNode;
  as?: 'section' | 'article' | 'div';
}): React.JSX.Element {
  return (
    <Tag className={`card ${className ?? ''}`} {...rest}>
      {children}
    </Tag>
  );
}
